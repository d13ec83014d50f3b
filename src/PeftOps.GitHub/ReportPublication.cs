namespace PeftOps.GitHub;

/// <summary>
/// Where a report went: a local file when there was no token, otherwise the sticky comment
/// (null outside pull requests), the check run, or the GitHub release.
/// </summary>
public sealed record ReportPublication(string? LocalPath, CommentResult? Comment, long? CheckRunId, ReleaseResult? Release);
