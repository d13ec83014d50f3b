using System.Text;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

public static partial class ReportRenderer
{
    /// <summary>
    /// Every metric of the multiple-choice and generation suites, whether or not a rule names it, in the rules table's
    /// columns: baseline, candidate, delta, the delta's interval and the p-value (not Holm-adjusted: no rule decides by it).
    /// </summary>
    private static void AppendSuiteMetrics(StringBuilder md, GateResult result)
    {
        if (result.SuiteMetrics.Count == 0)
            return;
        md.AppendLine("#### Multiple-choice and generation suites");
        md.AppendLine();
        var confidence = NumberText.Percent(result.Confidence).Replace(".00%", "%", StringComparison.Ordinal);
        md.AppendLine($"| suite | metric | n | {BaselineName(result)} | candidate | delta | {confidence} interval | p-value |");
        md.AppendLine("|---|---|--:|--:|--:|--:|---|--:|");
        foreach (var m in result.SuiteMetrics)
        {
            md.AppendLine($"| {MarkdownText.Code(m.Suite)} | {MarkdownText.Code(m.Metric)} | {m.Paired} | {NumberText.Value(m.Baseline)} | "
                + $"{NumberText.Value(m.Candidate)} | {NumberText.Signed(m.Delta)} | Δ {NumberText.Interval(m.CiLow, m.CiHigh, signed: true)} | "
                + $"{NumberText.P(m.PValue)} ({(m.PTest == PTest.Mcnemar ? "McNemar" : "bootstrap")}) |");
        }
        md.AppendLine();
    }
}
