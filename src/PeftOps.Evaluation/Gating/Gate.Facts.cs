using PeftOps.Configuration;
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
        return new SuiteFlips(p.Suite.Name, p.Suite.Role, p.Examples.Count, fixedCount, brokenCount, fixedOnes, brokenOnes, p.Kind);
    }

    private static FlipExample FlipOf(PairedSuite p, int i)
    {
        var example = p.Examples[i];
        string Shown(Outcome o) => p.Kind switch
        {
            SuiteKind.OutOfScope => SuiteMetric.IsRejected(example, o) ? "rejected" : "accepted",
            SuiteKind.Generation => o.Answer ?? "",
            SuiteKind.MultipleChoice => ChoiceText(example, o.Prediction),
            _ => o.Prediction ?? "",
        };
        var gold = p.Kind == SuiteKind.MultipleChoice ? ChoiceText(example, example.Gold) : example.Gold;
        return new FlipExample(example.Id, example.Text, gold, Shown(p.Baseline[i]), Shown(p.Candidate[i]),
            p.Baseline[i].Score, p.Candidate[i].Score);
    }

    // a multiple-choice index shown with its choice: "2: Paris"
    private static string ChoiceText(ExampleResult example, string? index) =>
        int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i)
        && example.Choices is { } choices && i < choices.Count ? $"{i}: {choices[i]}" : index ?? "";

    /// <summary>Every metric a multiple-choice or generation suite defines, baseline against candidate with the rules' statistics.</summary>
    private static IEnumerable<MetricComparison> MetricComparisons(PairedSuite p, GatePolicy policy, int resamples) =>
        MetricNames.For(p.Kind).Where(m => SuiteMetric.IsDefined(p.Kind, m, p.Examples)).Select(metric =>
        {
            var m = Measure((p, metric), policy, resamples);
            var counted = p.Examples.Count(e => SuiteMetric.CountsFor(p.Kind, metric, e));
            return new MetricComparison(p.Suite.Name, p.Suite.Role, metric, counted, m.Bootstrap.Baseline, m.Bootstrap.Candidate,
                m.Bootstrap.Delta, m.Bootstrap.DeltaInterval.Low, m.Bootstrap.DeltaInterval.High, m.Test, m.PValue);
        });

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
