using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;

namespace PeftOps.Evaluation.Gating;

public static partial class Gate
{
    private static SuiteFlips Flips(PairedSuite p)
    {
        var fixedOnes = new List<FlipExample>();
        var brokenOnes = new List<FlipExample>();
        int fixedCount = 0, brokenCount = 0;
        for (var i = 0; i < p.Examples.Count; i++)
        {
            var (before, after) = (p.BaselineRight(i), p.CandidateRight(i));
            if (before == after)
                continue;
            var list = after ? fixedOnes : brokenOnes;
            if (after)
                fixedCount++;
            else
                brokenCount++;
            if (list.Count < SuiteFlips.MaxExamples)
                list.Add(FlipOf(p, i));
        }
        return new SuiteFlips(p.Suite.Name, p.Suite.Role, p.Examples.Count, fixedCount, brokenCount, fixedOnes, brokenOnes);
    }

    private static FlipExample FlipOf(PairedSuite p, int i)
    {
        var example = p.Examples[i];
        string Shown(Outcome o) => p.Kind == SuiteKind.OutOfScope ? (SuiteMetric.IsRejected(example, o) ? "rejected" : "accepted") : o.Prediction ?? "";
        return new FlipExample(example.Id, example.Text, example.Gold, Shown(p.Baseline[i]), Shown(p.Candidate[i]),
            p.Baseline[i].Score, p.Candidate[i].Score);
    }

    private static OutOfScopeFacts OutOfScopeOf(PairedSuite p)
    {
        var inScope = p.Examples.Count(e => !SuiteMetric.IsOutOfScopeRow(e));
        var metrics = MetricNames.For(SuiteKind.OutOfScope).Where(m => inScope > 0 || !MetricNames.NeedsInScopeRows(m)).ToList();
        return new OutOfScopeFacts(p.Suite.Name, p.Examples.Count - inScope, inScope,
            metrics.ToDictionary(m => m, m => p.BaselineValue(m), StringComparer.Ordinal),
            metrics.ToDictionary(m => m, m => p.CandidateValue(m), StringComparer.Ordinal));
    }

    private static IEnumerable<ClassChange> PerClassChanges(PairedSuite p)
    {
        var labels = p.Suite.Labels ?? [];
        var gold = p.Examples.Select(e => e.Gold!).ToList();
        var before = EvalMetrics.PerClass(labels, gold, [.. p.Baseline.Select(o => o.Prediction!)]);
        var after = EvalMetrics.PerClass(labels, gold, [.. p.Candidate.Select(o => o.Prediction!)]);
        return labels.Select(label => new ClassChange
        {
            Suite = p.Suite.Name,
            Label = label,
            Support = after[label].Support,
            Baseline = before[label],
            Candidate = after[label],
        });
    }
}
