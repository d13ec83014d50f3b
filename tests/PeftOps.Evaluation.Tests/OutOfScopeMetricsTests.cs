using PeftOps.Contracts;
using PeftOps.Configuration;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Metrics;
using PeftOps.Evaluation.Reporting;
using static PeftOps.Evaluation.Tests.Support.TinyReports;

namespace PeftOps.Evaluation.Tests;

/// <summary>Out-of-scope metrics worked out by hand: scores rank "further out of scope" higher.</summary>
public sealed class OutOfScopeMetricsTests
{
    // three out-of-scope examples (0.9, 0.6, 0.3) and four in scope (0.1, 0.3, 0.5, 0.2)
    private static readonly double[] Scores = [0.9, 0.6, 0.3, 0.1, 0.3, 0.5, 0.2];
    private static readonly bool[] IsOos = [true, true, true, false, false, false, false];

    [Fact]
    public void Auroc_counts_ordered_pairs_and_half_of_ties()
    {
        // 0.9 and 0.6 beat all four in-scope scores (8 pairs); 0.3 beats 0.1 and 0.2, ties 0.3, loses to 0.5: 2.5. 10.5 / 12
        Assert.Equal(0.875, EvalMetrics.Auroc(Scores, IsOos), 12);
        Assert.Equal(1.0, EvalMetrics.Auroc([0.9, 0.8, 0.1], [true, true, false]));
        Assert.Equal(0.0, EvalMetrics.Auroc([0.1, 0.8, 0.9], [true, false, false]));
        Assert.Equal(0.5, EvalMetrics.Auroc([0.1, 0.8], [true, true]));
    }

    [Fact]
    public void Fpr_at_95_accepts_the_out_of_scope_scores_at_or_under_the_in_scope_threshold()
    {
        // in scope sorted 0.1 0.2 0.3 0.5: 95% of 4 -> the 4th, threshold 0.5; out of scope at or under it: 0.3 -> 1 of 3
        Assert.Equal(1.0 / 3, EvalMetrics.FprAtInScopeRecall(Scores, IsOos, 0.95), 12);
        // 50% -> the 2nd, threshold 0.2: none of 0.9, 0.6, 0.3 is accepted
        Assert.Equal(0.0, EvalMetrics.FprAtInScopeRecall(Scores, IsOos, 0.5));
        // 75% -> the 3rd, 0.3: the tie at 0.3 is accepted
        Assert.Equal(1.0 / 3, EvalMetrics.FprAtInScopeRecall(Scores, IsOos, 0.75), 12);
        Assert.Equal(1.0, EvalMetrics.FprAtInScopeRecall([0.2], [true]));
    }

    [Fact]
    public void Oos_precision_is_the_out_of_scope_share_of_the_rejected()
    {
        bool[] rejected = [true, false, true, false, true, false, false];

        Assert.Equal(2.0 / 3, EvalMetrics.OosPrecision(IsOos, rejected), 12);
        Assert.Equal(0.0, EvalMetrics.OosPrecision(IsOos, new bool[7]));
    }

    [Fact]
    public void A_suite_of_off_topic_and_in_scope_rows_gives_every_metric_from_its_outcomes()
    {
        var suite = Mixed(adaptedConfidence: [0.1, 0.4, 0.7, 0.9, 0.7, 0.5, 0.8], adaptedRejected: [true, true, false, false, false, true, false]);

        double M(string metric) => SuiteMetric.Compute(suite, metric, adapted: true);

        // rows 0-2 off topic (2 of 3 rejected); rows 3-6 in scope, gold a a b b, predicted a b b b, row 5 rejected
        Assert.Equal(2.0 / 3, M("rejection_rate"), 12);
        Assert.Equal(2.0 / 3, M("oos_recall"), 12);
        Assert.Equal(2.0 / 3, M("oos_precision"), 12); // rejected: rows 0, 1 (off topic) and 5 (in scope)
        Assert.Equal(0.5, M("in_scope_accuracy"), 12); // right and accepted: rows 3 and 6
        // oos score = 1 - confidence: off topic 0.9 0.6 0.3, in scope 0.1 0.3 0.5 0.2, as in the hand-worked case above
        Assert.Equal(0.875, M("auroc"), 12);
        Assert.Equal(1.0 / 3, M("fpr_at_95"), 12);
        Assert.False(MetricNames.HigherIsBetter("fpr_at_95"));
    }

    [Fact]
    public void A_gate_rule_on_an_out_of_scope_metric_judges_its_direction()
    {
        // the base model rejects nothing and ranks in-scope above off-topic; the adapted model separates them
        var report = Report(null, Mixed(adaptedConfidence: [0.1, 0.2, 0.3, 0.9, 0.8, 0.9, 0.8], adaptedRejected: [true, true, true, false, false, false, false]));
        var policy = new GatePolicy
        {
            NonTarget = [new() { Metric = "off-topic.fpr_at_95", MaxDrop = 0.0 }, new() { Metric = "off-topic.auroc", MaxDrop = 0.0 }],
            BootstrapResamples = 200,
        };

        var result = Gate.Evaluate(policy, "tiny", report, null);

        Assert.All(result.Rules, r => Assert.Equal(Verdict.Pass, r.Verdict));
        Assert.Equal((1.0, 0.0), (result.Rules[0].Baseline, result.Rules[0].Candidate));
        Assert.Equal((0.0, 1.0), (result.Rules[1].Baseline, result.Rules[1].Candidate));

        // every out-of-scope metric reaches gate.json and the report, ruled on or not
        var facts = Assert.Single(result.OutOfScope);
        Assert.Equal(("off-topic", 3, 4), (facts.Suite, facts.OffTopic, facts.InScope));
        Assert.Equal(MetricNames.For(SuiteKind.OutOfScope), facts.Candidate.Keys);
        Assert.Equal((0.0, 1.0), (facts.Baseline["oos_precision"], facts.Candidate["oos_precision"]));
        var markdown = ReportRenderer.Render(result, []);
        Assert.Contains("| off\\-topic | `fpr_at_95` (lower is better) | 1.000 | 0.000 | -1.000 |", markdown, StringComparison.Ordinal);
        Assert.Equal((0.75, 0.75), (facts.Baseline["in_scope_accuracy"], facts.Candidate["in_scope_accuracy"]));
    }

    /// <summary>Three off-topic rows then four in-scope rows (gold a a b b, adapted predicts a b b b); the base model is confident everywhere and rejects nothing.</summary>
    private static SuiteResult Mixed(double[] adaptedConfidence, bool[] adaptedRejected)
    {
        string?[] gold = [null, null, null, "a", "a", "b", "b"];
        string?[] predicted = [null, null, null, "a", "b", "b", "b"];
        double[] baseConfidence = [0.99, 0.99, 0.99, 0.1, 0.1, 0.1, 0.1];
        return new SuiteResult
        {
            Name = "off-topic",
            Kind = SuiteKind.OutOfScope,
            Role = SuiteRole.NonTarget,
            DataSha256 = "ef",
            Base = new SuiteMetrics { Metrics = new Dictionary<string, double>() },
            Adapted = new SuiteMetrics { Metrics = new Dictionary<string, double>() },
            Examples = [.. gold.Select((g, i) => new ExampleResult
            {
                Id = g is null ? $"{i + 1}" : $"intents:{i + 1}",
                Text = $"text {i}",
                Gold = g,
                Base = new Outcome { Prediction = predicted[i], Score = baseConfidence[i], Correct = g is not null },
                Adapted = new Outcome { Prediction = predicted[i], Score = adaptedConfidence[i], Correct = g is null ? adaptedRejected[i] : !adaptedRejected[i] },
            })],
        };
    }
}
