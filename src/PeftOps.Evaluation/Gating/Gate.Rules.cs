using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;
using PeftOps.Evaluation.Statistics;

namespace PeftOps.Evaluation.Gating;

public static partial class Gate
{
    private sealed record Measurement(PairedSuite Paired, string Metric, BootstrapResult Bootstrap, PTest Test, double PValue);

    /// <summary>
    /// One result per threshold of every rule. p-values test "no difference": McNemar's exact test on the discordant
    /// pairs for accuracy and rejection_rate, the paired bootstrap otherwise. Holm's correction runs over the distinct
    /// non-target metrics; a non-target min_delta or max_drop rule whose interval says fail but whose adjusted p is
    /// not below 1 - confidence is inconclusive instead.
    /// </summary>
    private static List<RuleResult> JudgeRules(GatePolicy policy, Dictionary<string, PairedSuite> paired, int resamples)
    {
        var rules = policy.Target.Select(r => (Rule: r, Role: SuiteRole.Target))
            .Concat(policy.NonTarget.Select(r => (Rule: r, Role: SuiteRole.NonTarget)))
            .ToList();
        var measured = new Dictionary<string, Measurement>(StringComparer.Ordinal);
        foreach (var (rule, _) in rules)
        {
            if (!measured.ContainsKey(rule.Metric))
                measured[rule.Metric] = Measure(Resolve(rule.Metric, paired), policy, resamples);
        }

        var family = rules.Where(r => r.Role == SuiteRole.NonTarget).Select(r => r.Rule.Metric).Distinct().ToList();
        var adjusted = Holm.Adjust([.. family.Select(m => measured[m].PValue)]);
        var pAdjusted = family.Select((m, i) => (m, adjusted[i])).ToDictionary(x => x.m, x => x.Item2, StringComparer.Ordinal);

        var results = new List<RuleResult>();
        foreach (var (rule, role) in rules)
        {
            var thresholds = new (RuleKind Kind, double? Value)[] { (RuleKind.Min, rule.Min), (RuleKind.MinDelta, rule.MinDelta), (RuleKind.MaxDrop, rule.MaxDrop) };
            if (thresholds.All(t => t.Value is null))
                throw new InputException($"gate rule '{rule.Metric}' has no min, min_delta or max_drop");
            var padj = role == SuiteRole.NonTarget ? pAdjusted[rule.Metric] : (double?)null;
            foreach (var (kind, value) in thresholds)
            {
                if (value is { } threshold)
                    results.Add(Judge(measured[rule.Metric], rule.Metric, role, kind, threshold, padj, 1 - policy.Confidence));
            }
        }
        return results;
    }

    private static (PairedSuite Paired, string Metric) Resolve(string metric, Dictionary<string, PairedSuite> paired)
    {
        var dot = metric.LastIndexOf('.');
        if (dot <= 0 || dot == metric.Length - 1)
            throw new InputException($"gate rule metric '{metric}' is not of the form suite.metric");
        var (suiteName, metricName) = (metric[..dot], metric[(dot + 1)..]);
        if (!paired.TryGetValue(suiteName, out var suite))
            throw new InputException($"gate rule metric '{metric}': the evaluation has no suite '{suiteName}' (it has: {string.Join(", ", paired.Keys)})");
        if (!MetricNames.For(suite.Kind).Contains(metricName))
        {
            throw new InputException($"gate rule metric '{metric}': a {SuiteKinds.Name(suite.Kind)} suite has no metric "
                + $"'{metricName}' (it has: {string.Join(", ", MetricNames.For(suite.Kind))})");
        }
        if (!SuiteMetric.IsDefined(suite.Kind, metricName, suite.Examples))
        {
            throw new InputException($"gate rule metric '{metric}': no example of suite '{suiteName}' has the "
                + $"{MetricNames.ExampleScoreKey(metricName)} it measures, so it has no value");
        }
        return (suite, metricName);
    }

    private static Measurement Measure((PairedSuite Paired, string Metric) target, GatePolicy policy, int resamples)
    {
        var (paired, metric) = target;
        var bootstrap = PairedBootstrap.Run(
            paired.Examples.Count, ix => paired.CandidateValue(metric, ix), ix => paired.BaselineValue(metric, ix),
            resamples, policy.Confidence, policy.Seed);
        if (!MetricNames.IsPairedProportion(metric))
            return new Measurement(paired, metric, bootstrap, PTest.Bootstrap, bootstrap.PValue);
        int b = 0, c = 0;
        for (var i = 0; i < paired.Examples.Count; i++)
        {
            if (!SuiteMetric.CountsFor(paired.Kind, metric, paired.Examples[i]))
                continue;
            var (before, after) = (paired.BaselineRight(metric, i), paired.CandidateRight(metric, i));
            b += before && !after ? 1 : 0;
            c += !before && after ? 1 : 0;
        }
        return new Measurement(paired, metric, bootstrap, PTest.Mcnemar, McNemar.ExactPValue(b, c));
    }
}
