namespace PeftOps.GitHub;

/// <summary>Keeps one comment per marker on a pull request.</summary>
public interface IPullRequestCommenter
{
    /// <summary>
    /// Updates the pull request's comment that contains <paramref name="marker"/> to <paramref name="body"/>,
    /// or creates one when none does.
    /// </summary>
    Task<CommentResult> UpsertAsync(RepositoryId repository, int pullRequest, string marker, string body, CancellationToken cancellationToken);
}

/// <summary>The sticky comment after an upsert: its id, its address, and whether it existed before.</summary>
public sealed record CommentResult(long Id, Uri? Url, bool Updated);
