namespace PeftOps.Serving;

/// <summary>
/// One text's answer, decided as <c>peftops predict</c> decides it: the top in-scope label, or null with
/// <paramref name="OutOfScope"/> when the adapter's calibrated scope refuses the text; <paramref name="OosScore"/> is
/// 1 - the top in-scope probability (higher is further out of scope); every label's probability.
/// </summary>
public sealed record Prediction(string? Label, bool OutOfScope, double OosScore, IReadOnlyDictionary<string, double> Scores);
