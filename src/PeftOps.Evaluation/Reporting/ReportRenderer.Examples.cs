using PeftOps.Contracts;
using System.Text;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

public static partial class ReportRenderer
{
    private const int MaxTextLength = 120;

    /// <summary>Generation flips: prompts, references and answers are cut to this many characters in the report.</summary>
    private const int MaxAnswerLength = 300;

    private static void AppendFlips(StringBuilder md, GateResult result)
    {
        if (result.Flips.Count == 0)
            return;
        md.AppendLine("#### Flipped examples");
        md.AppendLine();
        var baseline = BaselineName(result);
        foreach (var f in result.Flips)
        {
            var generation = f.Kind == SuiteKind.Generation;
            md.AppendLine(generation
                ? $"{MarkdownText.Code(f.Suite)}: {f.Fixed} now pass (failed under {baseline}), {f.Broken} now fail (passed under {baseline}), "
                  + $"of {f.Paired} paired examples."
                : $"{MarkdownText.Code(f.Suite)}: {f.Fixed} fixed (wrong under {baseline}, right now), "
                  + $"{f.Broken} broken (right under {baseline}, wrong now), of {f.Paired} paired examples.");
            md.AppendLine();
            var (fixedTitle, brokenTitle) = generation ? ("Fail → pass", "Pass → fail") : ("Fixed", "Broken");
            AppendFlipTable(md, $"{fixedTitle} in {MarkdownText.Escape(f.Suite)}", f.Fixed, f.FixedExamples, baseline, generation);
            AppendFlipTable(md, $"{brokenTitle} in {MarkdownText.Escape(f.Suite)}", f.Broken, f.BrokenExamples, baseline, generation);
        }
    }

    private static void AppendFlipTable(StringBuilder md, string title, int count, IReadOnlyList<FlipExample> examples, string baseline, bool generation)
    {
        if (count == 0)
            return;
        var shown = examples.Count < count ? $"{count}, first {examples.Count} shown" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        md.AppendLine($"<details><summary>{title} ({shown})</summary>");
        md.AppendLine();
        md.AppendLine(generation ? $"| id | prompt | reference | {baseline} answer | candidate answer |" : $"| id | text | gold | {baseline} | candidate |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var e in examples)
        {
            md.AppendLine(generation
                ? $"| {MarkdownText.Escape(e.Id, 40)} | {MarkdownText.Escape(e.Text, MaxAnswerLength, lineBreaks: true)} | "
                  + $"{(e.Gold is null ? "-" : MarkdownText.Escape(e.Gold, MaxAnswerLength, lineBreaks: true))} | "
                  + $"{MarkdownText.Escape(e.Baseline, MaxAnswerLength, lineBreaks: true)} | {MarkdownText.Escape(e.Candidate, MaxAnswerLength, lineBreaks: true)} |"
                : $"| {MarkdownText.Escape(e.Id, 40)} | {MarkdownText.Escape(e.Text, MaxTextLength)} | {MarkdownText.Escape(e.Gold ?? "-", MaxTextLength)} | "
                  + $"{Outcome(e.Baseline, e.BaselineScore)} | {Outcome(e.Candidate, e.CandidateScore)} |");
        }
        md.AppendLine();
        md.AppendLine("</details>");
        md.AppendLine();
    }

    private static string Outcome(string shown, double? score) =>
        MarkdownText.Escape(shown, MaxTextLength) + (score is { } s ? $" ({NumberText.Fixed(s, 2)})" : "");

    private static void AppendPerClass(StringBuilder md, GateResult result, IReadOnlyList<ReportChart> charts)
    {
        if (result.PerClass.Count == 0)
            return;
        md.AppendLine("#### Per-class changes");
        md.AppendLine();
        md.AppendLine("| suite | class | support | precision | recall | F1 | ΔF1 |");
        md.AppendLine("|---|---|--:|---|---|---|--:|");
        foreach (var c in result.PerClass)
        {
            md.AppendLine($"| {MarkdownText.Code(c.Suite)} | {MarkdownText.Escape(c.Label, 60)} | {c.Support} | "
                + $"{Change(c.Baseline.Precision, c.Candidate.Precision)} | {Change(c.Baseline.Recall, c.Candidate.Recall)} | "
                + $"{Change(c.Baseline.F1, c.Candidate.F1)} | {NumberText.Signed(c.DeltaF1)} |");
        }
        md.AppendLine();
        AppendChart(md, charts, ReportCharts.PerClassF1);
    }

    private static string Change(double before, double after) => $"{NumberText.Value(before)} → {NumberText.Value(after)}";

    private static void AppendTraining(StringBuilder md, IReadOnlyList<ReportChart> charts)
    {
        if (!charts.Any(c => c.Kind == ReportCharts.TrainingCurve))
            return;
        md.AppendLine("#### Training curve");
        md.AppendLine();
        AppendChart(md, charts, ReportCharts.TrainingCurve);
        AppendChart(md, charts, ReportCharts.ValidationCurve);
    }

    // a fenced Mermaid block: GitHub draws it wherever this Markdown goes (comment, check run, job summary, release)
    private static void AppendChart(StringBuilder md, IReadOnlyList<ReportChart> charts, string kind)
    {
        foreach (var chart in charts.Where(c => c.Kind == kind))
        {
            md.AppendLine("```mermaid");
            md.AppendLine(chart.Mermaid);
            md.AppendLine("```");
            md.AppendLine();
        }
    }
}
