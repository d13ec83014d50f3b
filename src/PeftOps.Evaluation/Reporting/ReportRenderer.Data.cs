using PeftOps.Contracts;
using System.Text;

namespace PeftOps.Evaluation.Reporting;

public static partial class ReportRenderer
{
    /// <summary>The data section: the data_checks rules, failed first, then every check's count, then the diff against the baseline's data.</summary>
    private static void AppendData(StringBuilder md, DataGateFacts? data)
    {
        if (data is null)
            return;
        md.AppendLine("#### Data");
        md.AppendLine();
        var rules = data.Rules.OrderBy(r => r.Verdict switch { Verdict.Fail => 0, Verdict.Inconclusive => 1, _ => 2 }).ToList();
        if (rules.Count == 0)
            md.AppendLine("No data rules (`data_checks` sets none).");
        foreach (var r in rules)
            md.AppendLine($"- {VerdictCell(r.Verdict)} {MarkdownText.Code(r.Rule)} {r.Threshold}: {MarkdownText.Escape(r.Reason)}");
        md.AppendLine();
        DataRenderer.AppendChecks(md, data.Checks);
        AppendDataDiff(md, data.Diff);
    }

    private static void AppendDataDiff(StringBuilder md, DataDiff? diff)
    {
        if (diff is null)
            return;
        var against = diff.BaselineVersion is null ? "the baseline" : MarkdownText.Code(diff.BaselineVersion);
        if (diff.Status == DataDiff.NotRun)
        {
            md.AppendLine($"Data diff against {against}: not run ({MarkdownText.Escape(diff.Reason)}).");
            md.AppendLine();
            return;
        }
        md.AppendLine($"Data diff against {against} (commit {MarkdownText.Code(diff.BaselineCommit?[..Math.Min(12, diff.BaselineCommit.Length)])}):");
        md.AppendLine();
        md.AppendLine("| file | label | added | removed | relabelled to it | relabelled away |");
        md.AppendLine("|---|---|--:|--:|--:|--:|");
        foreach (var f in diff.Files)
        {
            if (!f.Sha256Changed)
            {
                md.AppendLine($"| {MarkdownText.Code(f.Path)} | (unchanged) | 0 | 0 | 0 | 0 |");
                continue;
            }
            md.AppendLine($"| {MarkdownText.Code(f.Path)} | **all** | {f.Added} | {f.Removed} | {f.Relabelled} | {f.Relabelled} |");
            foreach (var l in f.Labels)
                md.AppendLine($"| | {MarkdownText.Code(l.Label)} | {l.Added} | {l.Removed} | {l.RelabelledFrom} | {l.RelabelledTo} |");
        }
        md.AppendLine();
    }
}
