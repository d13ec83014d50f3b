using PeftOps.Contracts;

namespace PeftOps.Training.Scope;

/// <summary>
/// One classifier output read against a scope. <c>confidence</c> is the top probability over the in-scope classes
/// (every class but the out-of-scope one); the message is out of scope when the out-of-scope class has the highest
/// probability of all, or when the confidence falls under the threshold.
/// </summary>
public static class ScopeRule
{
    public sealed record Verdict(string Label, double Confidence, bool OutOfScope)
    {
        /// <summary>1 - confidence: higher means further out of scope (the score the metrics rank by).</summary>
        public double OosScore => 1 - Confidence;
    }

    /// <summary>
    /// The decision an adapter with <paramref name="scope"/> makes (predict, evaluate and serve all call this); without
    /// a scope nothing is refused and the verdict is the arg-max label, with its score.
    /// </summary>
    public static Verdict Decide(float[] probs, IReadOnlyList<string> labels, AdapterScope? scope) =>
        Decide(probs, labels, scope?.OosLabel, scope?.Threshold ?? 0);

    /// <param name="probs">[labels] softmax probabilities.</param>
    /// <param name="oosLabel">The trained out-of-scope class, or null when there is none.</param>
    public static Verdict Decide(float[] probs, IReadOnlyList<string> labels, string? oosLabel, double threshold)
    {
        var oos = oosLabel is null ? -1 : IndexOf(labels, oosLabel);
        var best = -1;
        for (var i = 0; i < probs.Length; i++)
        {
            if (i != oos && (best < 0 || probs[i] > probs[best]))
                best = i;
        }
        var confidence = (double)probs[best];
        var oosWins = oos >= 0 && probs[oos] > probs[best];
        return new Verdict(labels[best], confidence, oosWins || confidence < threshold);
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
