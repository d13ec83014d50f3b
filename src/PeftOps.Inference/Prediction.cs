namespace PeftOps.Inference;

/// <summary>
/// One text's answer, as <c>peftops predict</c> writes it and <c>peftops serve</c> answers it (<see cref="PredictionFormatter"/>):
/// the top in-scope label, or null with <paramref name="OutOfScope"/> when the adapter's calibrated scope refuses the
/// text; <paramref name="OosScore"/>, higher further out of scope (1 - the top in-scope probability with score
/// confidence, the Mahalanobis distance to the nearest in-scope class with score mahalanobis); every label's probability.
/// </summary>
public sealed record Prediction(string? Label, bool OutOfScope, double OosScore, IReadOnlyDictionary<string, double> Scores);
