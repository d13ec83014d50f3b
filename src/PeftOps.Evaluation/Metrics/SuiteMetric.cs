using PeftOps.Contracts;

namespace PeftOps.Evaluation;

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
            (SuiteKind.OutOfScope, MetricNames.RejectionRate) =>
                EvalMetrics.RejectionRate(Select(at, i => outcomes[i].Correct!.Value)),
            (SuiteKind.Perplexity, MetricNames.Perplexity) =>
                EvalMetrics.Perplexity(Select(at, i => outcomes[i].Nll!.Value), Select(at, i => outcomes[i].Tokens!.Value)),
            _ => throw new ArgumentException(
                $"metric '{metric}' is not one of a {SuiteKinds.Name(kind)} suite's: {string.Join(", ", MetricNames.For(kind))}"),
        };
    }

    /// <summary>Whether the outcome counts as right: the prediction equals gold (classification) or the example was rejected (out-of-scope).</summary>
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
