using PeftOps.Contracts;

namespace PeftOps.Evaluation.Metrics;

/// <summary>
/// Recomputes one suite metric from examples and one model's outcomes, optionally on a subset of example
/// indices (a bootstrap resample; an index may repeat).
/// </summary>
public static class SuiteMetric
{
    public static double Compute(SuiteResult suite, string metric, bool adapted, IReadOnlyList<int>? indices = null) =>
        Compute(suite.Kind, metric, suite.Examples, suite.Examples.Select(e => adapted ? e.Adapted : e.Base).ToList(), indices);

    /// <param name="outcomes">one per example, aligned with <paramref name="examples"/>.</param>
    public static double Compute(
        SuiteKind kind, string metric, IReadOnlyList<ExampleResult> examples, IReadOnlyList<Outcome> outcomes,
        IReadOnlyList<int>? indices = null)
    {
        if (examples.Count != outcomes.Count)
            throw new ArgumentException($"{examples.Count} examples but {outcomes.Count} outcomes");
        var at = indices ?? Enumerable.Range(0, examples.Count).ToArray();
        return (kind, metric) switch
        {
            (SuiteKind.Classification, MetricNames.Accuracy) =>
                EvalMetrics.Accuracy(Select(at, i => examples[i].Gold!), Select(at, i => outcomes[i].Prediction!)),
            (SuiteKind.Classification, MetricNames.MacroF1) =>
                EvalMetrics.MacroF1(Select(at, i => examples[i].Gold!), Select(at, i => outcomes[i].Prediction!)),
            (SuiteKind.EmbeddingSimilarity, MetricNames.Spearman) =>
                EvalMetrics.Spearman(Select(at, i => outcomes[i].Score!.Value), Select(at, i => examples[i].GoldScore!.Value)),
            (SuiteKind.OutOfScope, MetricNames.RejectionRate or MetricNames.OosRecall) =>
                EvalMetrics.RejectionRate([.. at.Where(i => IsOutOfScopeRow(examples[i])).Select(i => outcomes[i].Correct!.Value)]),
            (SuiteKind.OutOfScope, MetricNames.OosPrecision) =>
                EvalMetrics.OosPrecision(Select(at, i => IsOutOfScopeRow(examples[i])), Select(at, i => IsRejected(examples[i], outcomes[i]))),
            (SuiteKind.OutOfScope, MetricNames.Auroc) =>
                EvalMetrics.Auroc(Select(at, i => 1 - outcomes[i].Score!.Value), Select(at, i => IsOutOfScopeRow(examples[i]))),
            (SuiteKind.OutOfScope, MetricNames.FprAt95) =>
                EvalMetrics.FprAtInScopeRecall(Select(at, i => 1 - outcomes[i].Score!.Value), Select(at, i => IsOutOfScopeRow(examples[i])), 0.95),
            (SuiteKind.OutOfScope, MetricNames.InScopeAccuracy) => EvalMetrics.RejectionRate(
                [.. at.Where(i => !IsOutOfScopeRow(examples[i])).Select(i => outcomes[i].Correct == true && outcomes[i].Prediction == examples[i].Gold)]),
            (SuiteKind.Perplexity, MetricNames.Perplexity) =>
                EvalMetrics.Perplexity(Select(at, i => outcomes[i].Nll!.Value), Select(at, i => outcomes[i].Tokens!.Value)),
            _ => throw new ArgumentException(
                $"metric '{metric}' is not one of a {SuiteKinds.Name(kind)} suite's: {string.Join(", ", MetricNames.For(kind))}"),
        };
    }

    /// <summary>
    /// An out-of-scope suite holds its off-topic messages (no gold label) and, after them, the in-scope messages of the
    /// target suites (gold: their intent), so that precision, AUROC and FPR can be measured on the same rows.
    /// </summary>
    public static bool IsOutOfScopeRow(ExampleResult example) => example.Gold is null;

    /// <summary>Out-of-scope suites: whether the model refused the message (<c>correct</c> means the right decision: refused when off-topic, accepted when in scope).</summary>
    public static bool IsRejected(ExampleResult example, Outcome outcome) => IsOutOfScopeRow(example) ? outcome.Correct == true : outcome.Correct == false;

    /// <summary>Whether a row enters McNemar's test of <paramref name="metric"/>: for rejection_rate and oos_recall only the off-topic rows.</summary>
    public static bool CountsFor(SuiteKind kind, string metric, ExampleResult example) =>
        kind != SuiteKind.OutOfScope || metric is not (MetricNames.RejectionRate or MetricNames.OosRecall) || IsOutOfScopeRow(example);

    /// <summary>Whether the outcome counts as right: the prediction equals gold (classification) or the decision was right (out-of-scope).</summary>
    public static bool IsCorrect(SuiteKind kind, ExampleResult example, Outcome outcome) => kind switch
    {
        SuiteKind.Classification => outcome.Correct ?? string.Equals(outcome.Prediction, example.Gold, StringComparison.Ordinal),
        SuiteKind.OutOfScope => outcome.Correct ?? false,
        _ => throw new ArgumentException($"a {SuiteKinds.Name(kind)} outcome is not right or wrong"),
    };

    private static T[] Select<T>(IReadOnlyList<int> indices, Func<int, T> pick)
    {
        var values = new T[indices.Count];
        for (var k = 0; k < values.Length; k++)
            values[k] = pick(indices[k]);
        return values;
    }
}
