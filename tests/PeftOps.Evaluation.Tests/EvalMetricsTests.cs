using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;

namespace PeftOps.Evaluation.Tests;

public class EvalMetricsTests
{
    // gold a a a b b c; predicted a a b b c c
    private static readonly string[] Gold = ["a", "a", "a", "b", "b", "c"];
    private static readonly string[] Predicted = ["a", "a", "b", "b", "c", "c"];
    private static readonly string[] Labels = ["a", "b", "c"];

    [Fact]
    public void Accuracy_and_confusion_matrix_count_by_hand()
    {
        Assert.Equal(4.0 / 6, EvalMetrics.Accuracy(Gold, Predicted), precision: 12);
        var confusion = EvalMetrics.ConfusionMatrix(Labels, Gold, Predicted);
        Assert.Equal([[2, 1, 0], [0, 1, 1], [0, 0, 1]], confusion);
    }

    [Fact]
    public void Per_class_precision_recall_and_f1_follow_the_counts()
    {
        var perClass = EvalMetrics.PerClass(Labels, Gold, Predicted);
        // a: tp 2, fp 0, fn 1 -> P 1, R 2/3, F1 0.8
        Assert.Equal((1.0, 3), (perClass["a"].Precision, perClass["a"].Support));
        Assert.Equal(2.0 / 3, perClass["a"].Recall, precision: 12);
        Assert.Equal(0.8, perClass["a"].F1, precision: 12);
        // b: tp 1, fp 1, fn 1 -> 0.5 0.5 0.5; c: tp 1, fp 1, fn 0 -> P 0.5, R 1, F1 2/3
        Assert.Equal(new ClassMetrics(0.5, 0.5, 0.5, 2), perClass["b"]);
        Assert.Equal(0.5, perClass["c"].Precision);
        Assert.Equal(2.0 / 3, perClass["c"].F1, precision: 12);
        // macro: (0.8 + 0.5 + 2/3) / 3
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, EvalMetrics.MacroF1(Gold, Predicted), precision: 12);
    }

    [Fact]
    public void Macro_f1_averages_only_over_classes_present()
    {
        // only class a occurs: a perfect subset scores 1, not 1/3
        Assert.Equal(1.0, EvalMetrics.MacroF1(["a", "a"], ["a", "a"]));
        var full = EvalMetrics.Classification(Labels, ["a", "a"], ["a", "a"]);
        Assert.Equal(0.0, full.PerClass!["b"].F1);
        Assert.Equal(1.0, full.Metrics[MetricNames.MacroF1]);
    }

    [Fact]
    public void Spearman_uses_average_ranks_for_ties()
    {
        Assert.Equal([1, 2.5, 2.5, 4], EvalMetrics.AverageRanks([10, 20, 20, 30]));
        // ranks x: 1 2 3 4 5, y: 1 2.5 2.5 4 5 -> sxy 9.5, sxx 10, syy 9.5 -> 9.5 / sqrt(95)
        Assert.Equal(9.5 / Math.Sqrt(95), EvalMetrics.Spearman([1, 2, 3, 4, 5], [1, 2, 2, 4, 5]), precision: 12);
        Assert.Equal(-1.0, EvalMetrics.Spearman([1, 2, 3], [9, 4, 1]), precision: 12);
        Assert.Equal(0.0, EvalMetrics.Spearman([1, 1, 1], [1, 2, 3]));
    }

    [Fact]
    public void Rejection_rate_and_perplexity()
    {
        Assert.Equal(0.75, EvalMetrics.RejectionRate([true, true, false, true]));
        // exp((2 + 4) / (1 + 2)) = e^2: pooled over tokens, not averaged per example
        Assert.Equal(Math.Exp(2), EvalMetrics.Perplexity([2.0, 4.0], [1, 2]), precision: 9);
        Assert.Throws<ArgumentException>(() => EvalMetrics.Perplexity([1.0], [0]));
    }

    [Fact]
    public void Suite_metric_recomputes_on_a_subset_of_indices_with_repeats()
    {
        var examples = Gold.Select((g, i) => new ExampleResult
        {
            Id = $"e{i}",
            Text = "t",
            Gold = g,
            Base = new Outcome { Prediction = "a" },
            Adapted = new Outcome { Prediction = Predicted[i] },
        }).ToList();
        var suite = new SuiteResult
        {
            Name = "s", Kind = SuiteKind.Classification, Role = SuiteRole.Target, DataSha256 = "x", Labels = Labels,
            Base = new SuiteMetrics { Metrics = new Dictionary<string, double>() },
            Adapted = new SuiteMetrics { Metrics = new Dictionary<string, double>() },
            Examples = examples,
        };
        Assert.Equal(4.0 / 6, SuiteMetric.Compute(suite, MetricNames.Accuracy, adapted: true), precision: 12);
        Assert.Equal(0.5, SuiteMetric.Compute(suite, MetricNames.Accuracy, adapted: false));
        // indices 2, 2, 3: wrong, wrong, right
        Assert.Equal(1.0 / 3, SuiteMetric.Compute(suite, MetricNames.Accuracy, adapted: true, [2, 2, 3]), precision: 12);
        Assert.Throws<ArgumentException>(() => SuiteMetric.Compute(suite, MetricNames.Spearman, adapted: true));
    }
}
