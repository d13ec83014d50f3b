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
            (SuiteKind.Generation, MetricNames.PassRate) => EvalMetrics.RejectionRate(Select(at, i => outcomes[i].Correct == true)),
            (SuiteKind.MultipleChoice or SuiteKind.Generation, _) when MetricNames.For(kind).Contains(metric) =>
                MeanScore(MetricNames.ExampleScoreKey(metric)!, at.Select(i => outcomes[i])),
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

    /// <summary>
    /// Whether a row enters McNemar's test of <paramref name="metric"/>: for rejection_rate and oos_recall only the off-topic
    /// rows; for a generation metric of one requirement (or of the reference) only the rows that have it.
    /// </summary>
    public static bool CountsFor(SuiteKind kind, string metric, ExampleResult example) => kind switch
    {
        SuiteKind.OutOfScope => metric is not (MetricNames.RejectionRate or MetricNames.OosRecall) || IsOutOfScopeRow(example),
        SuiteKind.Generation when MetricNames.ExampleScoreKey(metric) is { } key => example.Adapted.Scores?.ContainsKey(key) == true,
        _ => true,
    };

    /// <summary>
    /// Whether the outcome is right as <paramref name="metric"/> (a paired proportion) counts it, for McNemar's test:
    /// the decision for classification and out-of-scope metrics, the per-example 0/1 score of multiple-choice and
    /// generation metrics (pass for pass_rate).
    /// </summary>
    public static bool IsRight(SuiteKind kind, string metric, ExampleResult example, Outcome outcome) =>
        kind is SuiteKind.MultipleChoice or SuiteKind.Generation && MetricNames.ExampleScoreKey(metric) is { } key
            ? outcome.Scores?.GetValueOrDefault(key) == 1
            : IsCorrect(kind, example, outcome);

    /// <summary>
    /// The mean of the per-example value <paramref name="key"/> over the outcomes that have it (a generation row without
    /// a reference has no rouge_l); 0 when none has it, as a bootstrap resample may draw none.
    /// </summary>
    public static double MeanScore(string key, IEnumerable<Outcome> outcomes)
    {
        double sum = 0;
        var count = 0;
        foreach (var o in outcomes)
        {
            if (o.Scores is { } scores && scores.TryGetValue(key, out var value))
                (sum, count) = (sum + value, count + 1);
        }
        return count == 0 ? 0 : sum / count;
    }

    /// <summary>
    /// The metrics of a multiple-choice or generation suite for one model that its examples define (a generation metric of
    /// a requirement no row has is left out), computed by <see cref="Compute(SuiteKind, string, IReadOnlyList{ExampleResult}, IReadOnlyList{Outcome}, IReadOnlyList{int}?)"/>.
    /// </summary>
    public static SuiteMetrics Means(SuiteKind kind, IReadOnlyList<ExampleResult> examples, bool adapted)
    {
        var outcomes = examples.Select(e => adapted ? e.Adapted : e.Base).ToList();
        return new SuiteMetrics
        {
            Metrics = MetricNames.For(kind).Where(m => IsDefined(kind, m, examples))
                .ToDictionary(m => m, m => Compute(kind, m, examples, outcomes), StringComparer.Ordinal),
        };
    }

    /// <summary>Whether some example carries what <paramref name="metric"/> averages (always, except for generation metrics of a requirement or reference no row has).</summary>
    public static bool IsDefined(SuiteKind kind, string metric, IReadOnlyList<ExampleResult> examples) =>
        kind != SuiteKind.Generation || MetricNames.ExampleScoreKey(metric) is not { } key || examples.Any(e => e.Adapted.Scores?.ContainsKey(key) == true);

    /// <summary>Whether the outcome counts as right: the prediction equals gold (classification) or the decision was right (out-of-scope).</summary>
    public static bool IsCorrect(SuiteKind kind, ExampleResult example, Outcome outcome) => kind switch
    {
        SuiteKind.Classification => outcome.Correct ?? string.Equals(outcome.Prediction, example.Gold, StringComparison.Ordinal),
        SuiteKind.OutOfScope or SuiteKind.MultipleChoice or SuiteKind.Generation => outcome.Correct ?? false,
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
