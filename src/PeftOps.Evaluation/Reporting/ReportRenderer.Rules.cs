using PeftOps.Contracts;
using System.Text;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Statistics;

namespace PeftOps.Evaluation.Reporting;

public static partial class ReportRenderer
{
    private static void AppendRules(StringBuilder md, GateResult result, SuiteRole role, string title)
    {
        var rules = result.Rules.Where(r => r.Role == role).ToList();
        md.AppendLine($"#### {title}");
        md.AppendLine();
        if (rules.Count == 0)
        {
            md.AppendLine($"No {title.ToLowerInvariant()} rules.");
            md.AppendLine();
            return;
        }
        var confidence = NumberText.Percent(result.Confidence).Replace(".00%", "%", StringComparison.Ordinal);
        md.AppendLine($"| metric | {BaselineName(result)} | candidate | delta | {confidence} interval | p-value | rule | verdict |");
        md.AppendLine("|---|--:|--:|--:|---|--:|---|---|");
        foreach (var r in rules)
        {
            var interval = r.Kind == RuleKind.Min
                ? "value " + NumberText.Interval(r.CiLow, r.CiHigh, signed: false)
                : "Δ " + NumberText.Interval(r.CiLow, r.CiHigh, signed: true);
            var p = $"{NumberText.P(r.PValue)} ({(r.PTest == PTest.Mcnemar ? "McNemar" : "bootstrap")})"
                + (r.PAdjusted is { } padj ? $", Holm {NumberText.P(padj)}" : "");
            var baselineCell = r.ComparedWith == result.Baseline.Kind ? NumberText.Value(r.Baseline) : $"{NumberText.Value(r.Baseline)} (base model)";
            md.AppendLine($"| {MarkdownText.Code(r.Metric)} | {baselineCell} | {NumberText.Value(r.Candidate)} | "
                + $"{NumberText.Signed(r.Delta)} | {interval} | {p} | {RuleText(r)} | {VerdictCell(r.Verdict)} |");
        }
        md.AppendLine();
        foreach (var r in rules)
            md.AppendLine($"- {MarkdownText.Code(r.Metric)} {RuleText(r)}: {MarkdownText.Escape(r.Reason)} (n = {r.Paired})");
        md.AppendLine();
    }

    private static string RuleText(RuleResult r) => r.Kind switch
    {
        RuleKind.Min => $"min {NumberText.Threshold(r.Threshold)}",
        RuleKind.MinDelta => $"min\\_delta {NumberText.Threshold(r.Threshold)}",
        _ => $"max\\_drop {NumberText.Threshold(r.Threshold)}",
    };
}
