using PeftOps.Contracts;
using PeftOps.Evaluation.Statistics;

namespace PeftOps.Evaluation.Gating;

public static partial class Gate
{
    /// <summary>
    /// min: candidate interval entirely >= min passes, entirely below fails. min_delta: gain interval low >= min_delta
    /// passes, high &lt; min_delta fails. max_drop: drop interval high &lt;= max_drop passes, low > max_drop fails.
    /// Anything else straddles the threshold: inconclusive. For perplexity (lower is better) gain = baseline - candidate.
    /// </summary>
    private static RuleResult Judge(
        Measurement m, string metric, SuiteRole role, RuleKind kind, double threshold, double? pAdjusted, double alpha)
    {
        var higherIsBetter = MetricNames.HigherIsBetter(m.Metric);
        var boot = m.Bootstrap;
        var delta = boot.DeltaInterval;
        var gain = higherIsBetter ? delta : new Interval(-delta.High, -delta.Low);
        var gainPoint = higherIsBetter ? boot.Delta : -boot.Delta;
        var t = NumberText.Threshold(threshold);
        var (gainWord, dropWord) = higherIsBetter ? ("delta", "drop") : ("improvement", "rise");

        (Verdict verdict, string reason) = kind switch
        {
            RuleKind.Min when !higherIsBetter =>
                throw new InputException($"gate rule '{metric}': min does not apply to {m.Metric}, where lower is better; use max_drop"),
            RuleKind.Min => Compare(
                boot.CandidateInterval.Low >= threshold, boot.CandidateInterval.High < threshold,
                $"candidate {NumberText.Value(boot.Candidate)} {NumberText.Interval(boot.CandidateInterval.Low, boot.CandidateInterval.High, false)}",
                $"is at least min {t}", $"is below min {t}", $"straddles min {t}"),
            RuleKind.MinDelta => Compare(
                gain.Low >= threshold, gain.High < threshold,
                $"{gainWord} {NumberText.Signed(gainPoint)} {NumberText.Interval(gain.Low, gain.High, true)}",
                $"is at least min_delta {t}", $"is below min_delta {t}", $"straddles min_delta {t}"),
            _ => Compare(
                -gain.Low <= threshold, -gain.High > threshold,
                $"{dropWord} {NumberText.Value(-gainPoint)} {NumberText.Interval(-gain.High, -gain.Low, false)}",
                $"is within max_drop {t}", $"exceeds max_drop {t}", $"straddles max_drop {t}"),
        };

        if (verdict == Verdict.Fail && kind != RuleKind.Min && pAdjusted is { } padj && padj >= alpha)
        {
            verdict = Verdict.Inconclusive;
            reason += $", but the change is not significant after Holm correction (p_adj {NumberText.P(padj)} >= {NumberText.Threshold(alpha)})";
        }

        var interval = kind == RuleKind.Min ? boot.CandidateInterval : delta;
        return new RuleResult
        {
            Metric = metric,
            Suite = m.Paired.Suite.Name,
            Role = role,
            Kind = kind,
            Threshold = threshold,
            ComparedWith = m.Paired.Pairing.ComparedWith,
            Paired = m.Paired.Examples.Count,
            Baseline = boot.Baseline,
            Candidate = boot.Candidate,
            Delta = boot.Delta,
            HigherIsBetter = higherIsBetter,
            CiLow = interval.Low,
            CiHigh = interval.High,
            PTest = m.Test,
            PValue = m.PValue,
            PAdjusted = pAdjusted,
            Verdict = verdict,
            Reason = reason,
        };
    }

    private static (Verdict, string) Compare(bool pass, bool fail, string subject, string passText, string failText, string straddleText) =>
        pass ? (Verdict.Pass, $"{subject} {passText}")
        : fail ? (Verdict.Fail, $"{subject} {failText}")
        : (Verdict.Inconclusive, $"{subject} {straddleText}");
}
