namespace PeftOps.Contracts;

/// <summary>
/// A flipped example. <see cref="Baseline"/> and <see cref="Candidate"/> are predicted labels (classification)
/// or <c>rejected</c>/<c>accepted</c> (out-of-scope); the scores are top probabilities.
/// </summary>
public sealed record FlipExample(
    string Id, string Text, string? Gold, string Baseline, string Candidate, double? BaselineScore, double? CandidateScore);
