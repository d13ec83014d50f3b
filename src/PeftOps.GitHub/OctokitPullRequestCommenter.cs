using Octokit;

namespace PeftOps.GitHub;

/// <summary>
/// <see cref="IPullRequestCommenter"/> over Octokit: lists the pull request's comments (every page),
/// PATCHes the first one holding the marker, POSTs a new one otherwise. Octokit's calls take no
/// token, so cancellation is checked between them and awaited with <c>WaitAsync</c>.
/// </summary>
public sealed class OctokitPullRequestCommenter(IGitHubClient client) : IPullRequestCommenter
{
    private static readonly ApiOptions AllPages = new() { PageSize = 100 };

    public async Task<CommentResult> UpsertAsync(RepositoryId repository, int pullRequest, string marker, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(marker);
        cancellationToken.ThrowIfCancellationRequested();
        var comments = await client.Issue.Comment
            .GetAllForIssue(repository.Owner, repository.Name, pullRequest, AllPages)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var existing = comments.FirstOrDefault(c => c.Body is not null && c.Body.Contains(marker, StringComparison.Ordinal));
        cancellationToken.ThrowIfCancellationRequested();
        if (existing is not null)
        {
            var updated = await client.Issue.Comment
                .Update(repository.Owner, repository.Name, existing.Id, body)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return new CommentResult(updated.Id, ToUri(updated.HtmlUrl), Updated: true);
        }
        var created = await client.Issue.Comment
            .Create(repository.Owner, repository.Name, pullRequest, body)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new CommentResult(created.Id, ToUri(created.HtmlUrl), Updated: false);
    }

    private static Uri? ToUri(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
