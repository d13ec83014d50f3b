namespace PeftOps.Contracts;

/// <summary>
/// One model's outcome on one example. Classification: <see cref="Prediction"/>, <see cref="Correct"/>
/// (prediction == gold) and <see cref="Score"/> (top probability). Out-of-scope: <see cref="Correct"/> means
/// rejected, <see cref="Score"/> is the top in-scope probability (minus the Mahalanobis distance for an adapter whose scope
/// scores by distance). Similarity: <see cref="Score"/> is the cosine.
/// Perplexity: <see cref="Nll"/> is the summed negative log-likelihood (nats) of the example's
/// <see cref="Tokens"/> predicted tokens.
/// Multiple-choice: <see cref="Prediction"/> is the index of the chosen choice, <see cref="Correct"/> whether it is gold
/// (acc), <see cref="Loglikelihoods"/> each choice's summed log-likelihood and <see cref="Scores"/> <c>acc</c> and
/// <c>acc_norm</c> as 0 or 1. Generation: <see cref="Answer"/> is the greedy answer (cut at <see cref="MaxAnswerLength"/>),
/// <see cref="Correct"/> whether every requirement of the row holds (pass) and <see cref="Scores"/> the row's metrics
/// (<c>exact_match</c>, <c>rouge_l</c>, <c>chrf</c> with a reference; 0 or 1 per requirement it has).
/// </summary>
public sealed record Outcome
{
    /// <summary>Stored answers are cut to this many UTF-16 code units (never inside a surrogate pair); metrics use the whole answer.</summary>
    public const int MaxAnswerLength = 2000;

    public string? Prediction { get; init; }
    public bool? Correct { get; init; }
    public double? Score { get; init; }
    public double? Nll { get; init; }
    public int? Tokens { get; init; }
    public string? Answer { get; init; }
    public IReadOnlyList<double>? Loglikelihoods { get; init; }
    public IReadOnlyDictionary<string, double>? Scores { get; init; }
}
