namespace PeftOps.GitHub;

/// <summary>The GitHub release after a publish: its id, its page, and whether it existed before.</summary>
public sealed record ReleaseResult(long Id, Uri? Url, bool Updated);
