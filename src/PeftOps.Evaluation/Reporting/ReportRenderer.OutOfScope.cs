using PeftOps.Contracts;
using System.Text;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

public static partial class ReportRenderer
{
    /// <summary>Every out-of-scope metric of each out-of-scope suite, baseline and candidate, ruled on or not.</summary>
    private static void AppendOutOfScope(StringBuilder md, GateResult result)
    {
        if (result.OutOfScope.Count == 0)
            return;
        md.AppendLine("#### Out of scope");
        md.AppendLine();
        md.AppendLine($"| suite | metric | {BaselineName(result)} | candidate | delta |");
        md.AppendLine("|---|---|--:|--:|--:|");
        foreach (var suite in result.OutOfScope)
        {
            foreach (var (metric, candidate) in suite.Candidate)
            {
                var baseline = suite.Baseline[metric];
                var better = MetricNames.HigherIsBetter(metric) ? "" : " (lower is better)";
                md.AppendLine($"| {MarkdownText.Escape(suite.Suite)} | {MarkdownText.Code(metric)}{better} | {NumberText.Value(baseline)} | "
                    + $"{NumberText.Value(candidate)} | {NumberText.Signed(candidate - baseline)} |");
            }
        }
        md.AppendLine();
        foreach (var suite in result.OutOfScope)
            md.AppendLine($"- {MarkdownText.Escape(suite.Suite)}: {suite.OffTopic} off-topic messages and {suite.InScope} in-scope messages of the target suites, paired.");
        md.AppendLine();
    }
}
