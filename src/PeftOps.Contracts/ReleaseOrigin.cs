namespace PeftOps.Contracts;

/// <summary>
/// Where the released bytes came from. <see cref="Kind"/>: <c>reviewed</c>, the candidate kept by the pull request's
/// gate for the same inputs (<see cref="CandidateAddress"/>, reviewed at <see cref="ReviewedCommit"/>); or
/// <c>retrained</c>, a new training run asked for explicitly with <c>--retrained</c>.
/// </summary>
public sealed record ReleaseOrigin(string Kind, string? CandidateAddress, string? ReviewedCommit, string? Reviewed)
{
    public const string ReviewedKind = "reviewed";
    public const string RetrainedKind = "retrained";
}
