namespace PeftOps.GitHub;

/// <summary>The sticky comment after an upsert: its id, its address, and whether it existed before.</summary>
public sealed record CommentResult(long Id, Uri? Url, bool Updated);
