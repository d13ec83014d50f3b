namespace PeftOps.GitHub;

/// <summary>Publishes GitHub releases for registry version tags.</summary>
public interface IReleasePublisher
{
    /// <summary>Creates the release of <paramref name="tag"/> with <paramref name="notes"/>, or updates it when it exists.</summary>
    Task<ReleaseResult> PublishAsync(RepositoryId repository, string tag, string name, string notes, CancellationToken cancellationToken);
}

/// <summary>The GitHub release after a publish: its id, its page, and whether it existed before.</summary>
public sealed record ReleaseResult(long Id, Uri? Url, bool Updated);
