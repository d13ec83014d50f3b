using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.GitHub;

/// <summary>
/// The GitHub Actions environment a report is published into. For a pull request the commit and
/// number come from the event payload (<c>pull_request.head.sha</c>, <c>pull_request.number</c>),
/// because <c>GITHUB_SHA</c> is then the merge commit; otherwise <c>GITHUB_SHA</c>.
/// <see cref="Token"/> is a secret: <see cref="ToString"/> never shows it.
/// </summary>
public sealed record GitHubEnvironment(
    string? Token,
    RepositoryId? Repository,
    string? HeadSha,
    int? PullRequestNumber,
    Uri ApiUrl,
    string? EventName)
{
    public static Uri DefaultApiUrl { get; } = new("https://api.github.com/");

    /// <summary>Reads the process environment.</summary>
    public static GitHubEnvironment FromProcess() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>
    /// Reads <c>GITHUB_TOKEN</c>, <c>GITHUB_REPOSITORY</c>, <c>GITHUB_SHA</c>, <c>GITHUB_API_URL</c>,
    /// <c>GITHUB_EVENT_NAME</c> and the payload at <c>GITHUB_EVENT_PATH</c>; empty counts as unset.
    /// </summary>
    public static GitHubEnvironment FromVariables(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Get(string name) => string.IsNullOrWhiteSpace(variable(name)) ? null : variable(name)!.Trim();

        var repository = Get("GITHUB_REPOSITORY") is { } repo ? RepositoryId.Parse(repo, "GITHUB_REPOSITORY") : null;
        var apiUrl = DefaultApiUrl;
        if (Get("GITHUB_API_URL") is { } api)
        {
            if (!Uri.TryCreate(api, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
                throw new InputException($"GITHUB_API_URL: expected an https address such as https://api.github.com (was '{api}')");
            // The token goes to this address in every request's Authorization header: over plain http anyone on the
            // way could read it. Plain http is allowed only to this machine (the tests' fake GitHub server listens there).
            if (parsed.Scheme == Uri.UriSchemeHttp && !parsed.IsLoopback)
                throw new InputException($"GITHUB_API_URL: must be https, or http only to this machine (localhost, 127.0.0.1, [::1]), because the token is sent to it (was '{api}')");
            apiUrl = parsed;
        }

        var (number, prHeadSha) = Get("GITHUB_EVENT_PATH") is { } eventPath ? ReadPullRequest(eventPath) : (null, null);
        return new GitHubEnvironment(Get("GITHUB_TOKEN"), repository, prHeadSha ?? Get("GITHUB_SHA"), number, apiUrl, Get("GITHUB_EVENT_NAME"));
    }

    private static (int? Number, string? HeadSha) ReadPullRequest(string eventPath)
    {
        if (!File.Exists(eventPath))
            throw new InputException($"GITHUB_EVENT_PATH: file not found (was '{eventPath}')");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(eventPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("pull_request", out var pr)
                || pr.ValueKind != JsonValueKind.Object)
                return (null, null);
            if (!pr.TryGetProperty("number", out var number) || !number.TryGetInt32(out var n) || n <= 0)
                throw new InputException($"{eventPath}: pull_request.number must be a positive integer");
            if (!pr.TryGetProperty("head", out var head) || !head.TryGetProperty("sha", out var sha)
                || sha.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(sha.GetString()))
                throw new InputException($"{eventPath}: pull_request.head.sha must be a commit SHA");
            return (n, sha.GetString());
        }
        catch (JsonException e)
        {
            throw new InputException($"{eventPath}:{(e.LineNumber ?? 0) + 1}: event payload is not valid JSON ({e.Message})", e);
        }
    }

    public override string ToString() =>
        $"GitHubEnvironment {{ Token = {(Token is null ? "(not set)" : "***")}, Repository = {Repository}, HeadSha = {HeadSha}, " +
        $"PullRequestNumber = {PullRequestNumber}, ApiUrl = {ApiUrl}, EventName = {EventName} }}";
}
