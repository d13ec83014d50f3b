namespace PeftOps.GitHub;

/// <summary>Posts completed check runs on a commit.</summary>
public interface ICheckRunPublisher
{
    /// <summary>Creates the check run and returns its id.</summary>
    Task<long> PublishAsync(RepositoryId repository, CheckRunRequest checkRun, CancellationToken cancellationToken);
}
