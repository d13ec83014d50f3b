using PeftOps.Contracts;

namespace PeftOps.Inference;

/// <summary>
/// One classifier output read against a scope. <c>confidence</c> is the top probability over the in-scope classes
/// (every class but the out-of-scope one); the message is out of scope when the out-of-scope class has the highest
/// probability of all, or when its score crosses the calibrated threshold: the confidence falls under it (score
/// confidence), or the Mahalanobis distance of its pooled features to the nearest in-scope class exceeds it (score
/// mahalanobis).
/// </summary>
public sealed class ScopeRule
{
    /// <param name="OosScore">Higher means further out of scope: 1 - confidence, or the Mahalanobis distance; predict
    /// and serve report it as <c>oos_score</c>.</param>
    /// <param name="InScopeScore">Higher means further in scope (what the out-of-scope metrics rank by): the confidence, or
    /// minus the distance.</param>
    public sealed record Verdict(string Label, double Confidence, bool OutOfScope, double OosScore, double InScopeScore);

    private readonly IReadOnlyList<string> labels;
    private readonly string? oosLabel;
    private readonly double threshold;
    private readonly MahalanobisDistance? distance;

    private ScopeRule(IReadOnlyList<string> labels, AdapterScope? scope)
    {
        this.labels = labels;
        oosLabel = scope?.OosLabel;
        threshold = scope?.Threshold ?? 0;
        distance = scope is { Score: ScopeScore.Mahalanobis, Distance: { } statistics } ? new MahalanobisDistance(statistics) : null;
    }

    /// <summary>
    /// The decision an adapter with <paramref name="scope"/> makes (predict, evaluate and serve all use this); without a
    /// scope nothing is refused and the verdict is the arg-max label, with its score.
    /// </summary>
    public static ScopeRule For(IReadOnlyList<string> labels, AdapterScope? scope) => new(labels, scope);

    /// <param name="output">A text's output of <see cref="Predictor.Classify"/>; its features are only read with score mahalanobis.</param>
    public Verdict Decide(ClassifierOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var verdict = Decide(output.Probabilities, labels, oosLabel, distance is null ? threshold : 0);
        if (distance is null)
            return verdict;
        var d = distance.Distance(output.Features);
        return verdict with { OutOfScope = verdict.OutOfScope || d > threshold, OosScore = d, InScopeScore = -d };
    }

    /// <summary>Score confidence: out of scope when the out-of-scope class wins or the confidence is under <paramref name="threshold"/>.</summary>
    /// <param name="probs">[labels] softmax probabilities.</param>
    /// <param name="oosLabel">The trained out-of-scope class, or null when there is none.</param>
    public static Verdict Decide(ReadOnlySpan<float> probs, IReadOnlyList<string> labels, string? oosLabel, double threshold)
    {
        var oos = oosLabel is null ? -1 : IndexOf(labels, oosLabel);
        var best = -1;
        for (var i = 0; i < labels.Count; i++)
        {
            if (i != oos && (best < 0 || probs[i] > probs[best]))
                best = i;
        }
        var confidence = (double)probs[best];
        var oosWins = oos >= 0 && probs[oos] > probs[best];
        return new Verdict(labels[best], confidence, oosWins || confidence < threshold, 1 - confidence, confidence);
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }
}
