using System.Reflection;
using Octokit;
using Octokit.Internal;

namespace PeftOps.GitHub;

/// <summary>Builds the Octokit client PeftOps talks to GitHub (or GitHub Enterprise Server) with.</summary>
public static class GitHubClientFactory
{
    /// <summary>
    /// A client for <paramref name="apiUrl"/> (<c>GITHUB_API_URL</c>: <c>https://api.github.com</c>, or
    /// <c>https://HOST/api/v3</c> on GHES) authenticated with <paramref name="token"/>. The connection is
    /// built directly so the address is used as given: Octokit's <c>GitHubClient(…, Uri)</c> appends
    /// <c>api/v3/</c> to every host other than github.com.
    /// </summary>
    public static IGitHubClient Create(Uri apiUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var baseAddress = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
        var version = typeof(GitHubClientFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var product = new ProductHeaderValue("peftops", version.Split('+')[0]);
        var connection = new Connection(product, baseAddress, new InMemoryCredentialStore(new Credentials(token)));
        return new GitHubClient(connection);
    }
}
