using PeftOps.Contracts;

namespace PeftOps.Evaluation.Metrics;

/// <summary>
/// lm-evaluation-harness's multiple-choice metrics of one question from its choices' summed log-likelihoods: acc takes the
/// choice with the highest log-likelihood, acc_norm the highest log-likelihood per character of the choice (Python's
/// <c>len</c> of the choice string, in code points, without the target delimiter); ties go to the first choice, as numpy's
/// argmax breaks them.
/// </summary>
public static class ChoiceMetrics
{
    /// <returns>the acc pick, and <c>acc</c> and <c>acc_norm</c> as 1 (right) or 0.</returns>
    public static (int Predicted, IReadOnlyDictionary<string, double> Scores) Score(
        IReadOnlyList<double> loglikelihoods, IReadOnlyList<string> choices, int gold)
    {
        if (loglikelihoods.Count != choices.Count || choices.Count == 0)
            throw new ArgumentException($"{loglikelihoods.Count} log-likelihoods for {choices.Count} choices");
        var predicted = ArgMax(loglikelihoods);
        var normalised = ArgMax([.. loglikelihoods.Select((ll, i) => ll / Math.Max(1, choices[i].EnumerateRunes().Count()))]);
        return (predicted, new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.Acc] = predicted == gold ? 1 : 0,
            [MetricNames.AccNorm] = normalised == gold ? 1 : 0,
        });
    }

    private static int ArgMax(IReadOnlyList<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Count; i++)
            best = values[i] > values[best] ? i : best;
        return best;
    }
}
