using PeftOps.Contracts;
using System.Text;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Statistics;

namespace PeftOps.Evaluation.Reporting;

/// <summary>
/// Renders a <see cref="GateResult"/> as the Markdown of the sticky PR comment: the hidden <see cref="ReportMarker"/> naming the adapter,
/// the verdict in one line, then the data rules and checks, then rules, flips, per-class changes, charts, spec changes, lineage, cost and latency.
/// Every piece of text from data goes through <see cref="MarkdownText"/>; the output depends only on its inputs.
/// </summary>
public static partial class ReportRenderer
{
    public static string Render(GateResult result, IReadOnlyList<ReportChart> charts)
    {
        var md = new StringBuilder();
        md.AppendLine(ReportMarker.For(result.Adapter));
        md.AppendLine($"### {Emoji(result.Verdict)} {MarkdownText.Escape(result.Headline)}");
        md.AppendLine();
        AppendMethod(md, result);
        AppendData(md, result.Data);
        AppendRules(md, result, SuiteRole.Target, "Target");
        AppendRules(md, result, SuiteRole.NonTarget, "Non-target");
        AppendOutOfScope(md, result);
        AppendSuiteMetrics(md, result);
        AppendFlips(md, result);
        AppendPerClass(md, result, charts);
        AppendTraining(md, charts);
        AppendSpec(md, result);
        AppendLineage(md, result.Lineage);
        AppendCost(md, result.Cost);
        AppendLatency(md, result.Latency);
        return md.ToString().TrimEnd() + "\n";
    }

    private static string Emoji(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "✅",
        Verdict.Fail => "❌",
        _ => "⚠️",
    };

    private static string VerdictCell(Verdict verdict) => $"{Emoji(verdict)} {verdict.ToString().ToLowerInvariant()}";

    private static string BaselineName(GateResult result) =>
        result.Baseline.Kind == BaselineKind.Production ? "production" : "base model";

    private static void AppendMethod(StringBuilder md, GateResult result)
    {
        var pairings = result.Baseline.Suites.Select(p => p.ComparedWith == BaselineKind.Production
            ? $"{MarkdownText.Code(p.Suite)} {p.Paired} of {p.CandidateExamples} examples paired with production's {p.BaselineExamples}"
              + (p.SameData ? "" : " (suite data changed)")
            : $"{MarkdownText.Code(p.Suite)} {p.Paired} examples against the base model");
        md.AppendLine($"**Baseline:** {MarkdownText.Escape(result.Baseline.Description)}. {string.Join("; ", pairings)}.");
        md.AppendLine();
        md.AppendLine($"Intervals: {NumberText.Percent(result.Confidence).Replace(".00%", "%", StringComparison.Ordinal)} paired bootstrap "
            + $"({NumberText.Count(result.Resamples)} resamples, seed {result.Seed}); p-values: McNemar's exact test for right-or-wrong "
            + "metrics (accuracy, rejection rate, acc, pass rate, ...), bootstrap otherwise; non-target p-values Holm-adjusted. A non-target rule fails only when its "
            + "Holm-adjusted p-value is also below 1 - confidence.");
        md.AppendLine();
    }
}
