using PeftOps.Contracts;
using System.Text;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

/// <summary>
/// data.md: the Markdown section <c>peftops data check</c> writes beside data.json: the checks in one table, then
/// each finding (at most <see cref="MaxListed"/> rows per list; data.json has them all), label counts and imbalance.
/// </summary>
public static class DataRenderer
{
    public const int MaxListed = 20;

    public static string Render(DataReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine($"#### Data checks: {MarkdownText.Code(report.Adapter)}");
        md.AppendLine();
        AppendChecks(md, report.Checks);
        var s = report.Settings;
        md.AppendLine($"Texts compared after Unicode NFKC, case folding, punctuation removed and white space collapsed. Near duplicates: cosine of "
            + $"{MarkdownText.Code(report.BaseModel)} sentence embeddings at least {NumberText.Threshold(s.NearDuplicateThreshold)}. Label errors: confident learning "
            + $"({MarkdownText.Code(s.Method)}) on {s.Folds}-fold out-of-fold probabilities of a logistic-regression probe on those embeddings (seed {s.Seed}).");
        md.AppendLine();
        AppendGroups(md, "Leakage (training text in an evaluation suite)", report.Duplicates.Where(g => g.Kind == "leakage").ToList());
        AppendGroups(md, "Conflicting labels", report.Conflicts);
        AppendGroups(md, "Exact duplicates", report.Duplicates.Where(g => g.Kind != "leakage").ToList());
        AppendGroups(md, "In-scope texts that are also out-of-scope messages", report.ScopeOverlap);
        if (report.NearDuplicates.Count > 0)
        {
            md.AppendLine("##### Near duplicates");
            md.AppendLine();
            md.AppendLine("| cosine | training row | evaluation row |");
            md.AppendLine("|--:|---|---|");
            foreach (var p in report.NearDuplicates.Take(MaxListed))
                md.AppendLine($"| {NumberText.Value(p.Cosine)} | {RowText(p.Train)} | {RowText(p.Evaluation)} |");
            AppendMore(md, report.NearDuplicates.Count);
        }
        if (report.LabelErrors.Count > 0)
        {
            md.AppendLine("##### Likely label errors");
            md.AppendLine();
            md.AppendLine("| row | text | given (p) | suggested (p) |");
            md.AppendLine("|---|---|---|---|");
            foreach (var e in report.LabelErrors.Take(MaxListed))
                md.AppendLine($"| {e.Row.Split}:{e.Row.Line} | {MarkdownText.Escape(e.Row.Text, 80)} | {MarkdownText.Code(e.Row.Label)} ({NumberText.Value(e.GivenProbability)}) | "
                    + $"{MarkdownText.Code(e.Suggested)} ({NumberText.Value(e.Probability)}) |");
            AppendMore(md, report.LabelErrors.Count);
        }
        AppendRows(md, "Empty responses", report.EmptyResponses);
        AppendRows(md, "Responses cut by task.max_length", report.TruncatedResponses);
        AppendLabels(md, report);
        return md.ToString().TrimEnd() + "\n";
    }

    /// <summary>The table of checks: name, status, count, and why a check did not run.</summary>
    public static void AppendChecks(StringBuilder md, IReadOnlyList<DataCheckSummary> checks)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(checks);
        md.AppendLine("| check | status | found |");
        md.AppendLine("|---|---|--:|");
        foreach (var c in checks)
        {
            var status = c.Status switch { DataCheckSummary.Pass => "✅ pass", DataCheckSummary.Found => "⚠️ found", _ => $"❔ not run: {MarkdownText.Escape(c.Reason, 200)}" };
            md.AppendLine($"| {MarkdownText.Code(c.Name)} | {status} | {(c.Status == DataCheckSummary.NotRun ? "-" : NumberText.Count(c.Count))} |");
        }
        md.AppendLine();
    }

    private static void AppendGroups(StringBuilder md, string title, IReadOnlyList<RowGroup> groups)
    {
        if (groups.Count == 0)
            return;
        md.AppendLine($"##### {title}");
        md.AppendLine();
        foreach (var g in groups.Take(MaxListed))
            md.AppendLine($"- {MarkdownText.Escape(g.Key, 80)}: {string.Join(", ", g.Rows.Select(RowText))}");
        AppendMore(md, groups.Count);
    }

    private static void AppendRows(StringBuilder md, string title, IReadOnlyList<DataRow> rows)
    {
        if (rows.Count == 0)
            return;
        md.AppendLine($"##### {title}");
        md.AppendLine();
        foreach (var r in rows.Take(MaxListed))
            md.AppendLine($"- {RowText(r)}");
        AppendMore(md, rows.Count);
    }

    private static void AppendLabels(StringBuilder md, DataReport report)
    {
        var labelled = report.Splits.Where(s => s.Labels.Count > 0).ToList();
        if (labelled.Count == 0)
            return;
        md.AppendLine("##### Labels");
        md.AppendLine();
        md.AppendLine("| split | rows | labels | largest | smallest | imbalance |");
        md.AppendLine("|---|--:|--:|---|---|--:|");
        foreach (var s in labelled)
        {
            var i = report.Imbalance.First(x => x.Split == s.Name);
            md.AppendLine($"| {MarkdownText.Code(s.Name)} | {NumberText.Count(s.Rows)} | {s.Labels.Count} | {MarkdownText.Code(i.Largest)} {i.LargestCount} | "
                + $"{MarkdownText.Code(i.Smallest)} {i.SmallestCount} | {NumberText.Fixed(i.Ratio, 2)} |");
        }
        md.AppendLine();
        foreach (var r in report.RareLabels.Take(MaxListed))
            md.AppendLine($"- {MarkdownText.Code(r.Label)} has {r.Count} rows in {MarkdownText.Code(r.Split)} (fewer than {report.Settings.MinLabelCount})");
        foreach (var u in report.UnseenLabels.Take(MaxListed))
            md.AppendLine($"- {MarkdownText.Code(u.Label)} ({u.Count} rows in {MarkdownText.Code(u.Split)}) never occurs in training");
        md.AppendLine();
    }

    private static void AppendMore(StringBuilder md, int count)
    {
        if (count > MaxListed)
            md.AppendLine($"- ... and {NumberText.Count(count - MaxListed)} more (data.json lists them all)");
        md.AppendLine();
    }

    private static string RowText(DataRow r) =>
        $"{MarkdownText.Code($"{r.Split}:{r.Line}")} {MarkdownText.Escape(r.Text, 80)}" + (r.Label is null ? "" : $" ({MarkdownText.Code(r.Label)})");
}
