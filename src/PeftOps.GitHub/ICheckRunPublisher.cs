namespace PeftOps.GitHub;

/// <summary>Posts completed check runs on a commit.</summary>
public interface ICheckRunPublisher
{
    /// <summary>Creates the check run and returns its id.</summary>
    Task<long> PublishAsync(RepositoryId repository, CheckRunRequest checkRun, CancellationToken cancellationToken);
}

/// <summary>A completed check run: <c>name</c> on <c>head_sha</c>, with output title and Markdown summary.</summary>
public sealed record CheckRunRequest(string Name, string HeadSha, CheckConclusionKind Conclusion, string Title, string Summary);

/// <summary>The check run conclusions the gate produces.</summary>
public enum CheckConclusionKind
{
    Success,
    Failure,
    Neutral,
}
