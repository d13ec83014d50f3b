using Octokit;

namespace PeftOps.GitHub;

/// <summary>
/// <see cref="IReleasePublisher"/> over Octokit: GET the release of the tag; PATCH it when it exists,
/// POST a new one when GitHub answers 404. Re-running a release job therefore converges.
/// </summary>
public sealed class OctokitReleasePublisher(IGitHubClient client) : IReleasePublisher
{
    public async Task<ReleaseResult> PublishAsync(RepositoryId repository, string tag, string name, string notes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        cancellationToken.ThrowIfCancellationRequested();
        Release? existing;
        try
        {
            existing = await client.Repository.Release.Get(repository.Owner, repository.Name, tag)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            existing = null;
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (existing is not null)
        {
            var edited = await client.Repository.Release
                .Edit(repository.Owner, repository.Name, existing.Id, new ReleaseUpdate { Name = name, Body = notes })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return new ReleaseResult(edited.Id, ToUri(edited.HtmlUrl), Updated: true);
        }
        var created = await client.Repository.Release
            .Create(repository.Owner, repository.Name, new NewRelease(tag) { Name = name, Body = notes })
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ReleaseResult(created.Id, ToUri(created.HtmlUrl), Updated: false);
    }

    private static Uri? ToUri(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
