namespace PeftOps.Contracts;

/// <summary>
/// One model's outcome on one example. Classification: <see cref="Prediction"/>, <see cref="Correct"/>
/// (prediction == gold) and <see cref="Score"/> (top probability). Out-of-scope: <see cref="Correct"/> means
/// rejected, <see cref="Score"/> is the top in-scope probability (minus the Mahalanobis distance for an adapter whose scope
/// scores by distance). Similarity: <see cref="Score"/> is the cosine.
/// Perplexity: <see cref="Nll"/> is the summed negative log-likelihood (nats) of the example's
/// <see cref="Tokens"/> predicted tokens.
/// </summary>
public sealed record Outcome
{
    public string? Prediction { get; init; }
    public bool? Correct { get; init; }
    public double? Score { get; init; }
    public double? Nll { get; init; }
    public int? Tokens { get; init; }
}
