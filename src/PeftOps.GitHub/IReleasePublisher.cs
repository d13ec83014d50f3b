namespace PeftOps.GitHub;

/// <summary>Publishes GitHub releases for registry version tags.</summary>
public interface IReleasePublisher
{
    /// <summary>Creates the release of <paramref name="tag"/> with <paramref name="notes"/>, or updates it when it exists.</summary>
    Task<ReleaseResult> PublishAsync(RepositoryId repository, string tag, string name, string notes, CancellationToken cancellationToken);
}
