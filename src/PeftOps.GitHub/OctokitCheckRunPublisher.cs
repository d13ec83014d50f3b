using Octokit;

namespace PeftOps.GitHub;

/// <summary><see cref="ICheckRunPublisher"/> over Octokit: one POST to <c>/repos/{owner}/{repo}/check-runs</c>.</summary>
public sealed class OctokitCheckRunPublisher(IGitHubClient client, TimeProvider? clock = null) : ICheckRunPublisher
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<long> PublishAsync(RepositoryId repository, CheckRunRequest checkRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(checkRun);
        cancellationToken.ThrowIfCancellationRequested();
        var request = new NewCheckRun(checkRun.Name, checkRun.HeadSha)
        {
            Status = CheckStatus.Completed,
            Conclusion = checkRun.Conclusion switch
            {
                CheckConclusionKind.Success => CheckConclusion.Success,
                CheckConclusionKind.Failure => CheckConclusion.Failure,
                CheckConclusionKind.Neutral => CheckConclusion.Neutral,
                _ => throw new ArgumentOutOfRangeException(nameof(checkRun), checkRun.Conclusion, "unknown conclusion"),
            },
            CompletedAt = _clock.GetUtcNow(),
            Output = new NewCheckRunOutput(checkRun.Title, checkRun.Summary),
        };
        var created = await client.Check.Run.Create(repository.Owner, repository.Name, request)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return created.Id;
    }
}
