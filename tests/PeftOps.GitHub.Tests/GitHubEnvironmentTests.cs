using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

public sealed class GitHubEnvironmentTests : IDisposable
{
    private readonly TempDirectory _temp = new("peftops-github-env");

    public void Dispose() => _temp.Dispose();

    private static Func<string, string?> Variables(Dictionary<string, string> values) => name => values.GetValueOrDefault(name);

    [Fact]
    public void Takes_the_pull_request_number_and_head_commit_from_the_event_payload()
    {
        var payload = _temp.Combine("event.json");
        File.WriteAllText(payload, """{"action":"synchronize","number":7,"pull_request":{"number":7,"head":{"sha":"headsha","repo":{"full_name":"o/r"}}}}""");

        var environment = GitHubEnvironment.FromVariables(Variables(new()
        {
            ["GITHUB_TOKEN"] = "ghs_secret",
            ["GITHUB_REPOSITORY"] = "o/r",
            ["GITHUB_SHA"] = "mergesha",
            ["GITHUB_EVENT_NAME"] = "pull_request",
            ["GITHUB_EVENT_PATH"] = payload,
            ["GITHUB_API_URL"] = "https://ghe.example.com/api/v3",
        }));

        Assert.Equal(new GitHubEnvironment("ghs_secret", new RepositoryId("o", "r"), "headsha", 7, new Uri("https://ghe.example.com/api/v3"), "pull_request"), environment);
    }

    [Fact]
    public void Uses_GITHUB_SHA_and_no_pull_request_for_a_push()
    {
        var payload = _temp.Combine("push.json");
        File.WriteAllText(payload, """{"ref":"refs/tags/support-intents@v1.3.0","after":"abc"}""");

        var environment = GitHubEnvironment.FromVariables(Variables(new() { ["GITHUB_SHA"] = "abc", ["GITHUB_EVENT_PATH"] = payload, ["GITHUB_TOKEN"] = "" }));

        Assert.Equal(new GitHubEnvironment(null, null, "abc", null, GitHubEnvironment.DefaultApiUrl, null), environment);
    }

    [Fact]
    public void Never_shows_the_token_when_printed()
    {
        var environment = new GitHubEnvironment("ghs_secret", new RepositoryId("o", "r"), "abc", 7, GitHubEnvironment.DefaultApiUrl, "pull_request");

        Assert.Equal("GitHubEnvironment { Token = ***, Repository = o/r, HeadSha = abc, PullRequestNumber = 7, ApiUrl = https://api.github.com/, EventName = pull_request }", environment.ToString());
    }

    [Fact]
    public void Names_the_variable_of_a_malformed_repository()
    {
        var error = Assert.Throws<InputException>(() => GitHubEnvironment.FromVariables(Variables(new() { ["GITHUB_REPOSITORY"] = "just-a-name" })));

        Assert.Equal("GITHUB_REPOSITORY: expected owner/name (was 'just-a-name')", error.Message);
    }

    [Fact]
    public void Names_the_payload_file_when_the_pull_request_has_no_head_commit()
    {
        var payload = _temp.Combine("broken.json");
        File.WriteAllText(payload, """{"pull_request":{"number":7,"head":{}}}""");

        var error = Assert.Throws<InputException>(() => GitHubEnvironment.FromVariables(Variables(new() { ["GITHUB_EVENT_PATH"] = payload })));

        Assert.Equal($"{payload}: pull_request.head.sha must be a commit SHA", error.Message);
    }

    [Theory]
    [InlineData("http://api.example.com")]
    [InlineData("http://ghe.example.com/api/v3")]
    public void Refuses_a_plain_http_api_address_that_would_carry_the_token_in_clear_text(string url)
    {
        var error = Assert.Throws<InputException>(() => GitHubEnvironment.FromVariables(Variables(new() { ["GITHUB_TOKEN"] = "ghs_secret", ["GITHUB_API_URL"] = url })));

        Assert.Equal($"GITHUB_API_URL: must be https, or http only to this machine (localhost, 127.0.0.1, [::1]), because the token is sent to it (was '{url}')", error.Message);
    }

    [Theory]
    [InlineData("http://localhost:9091/")]
    [InlineData("http://127.0.0.1:9091/")]
    [InlineData("http://[::1]:9091/")]
    public void Allows_plain_http_only_to_this_machine(string url)
    {
        var environment = GitHubEnvironment.FromVariables(Variables(new() { ["GITHUB_TOKEN"] = "ghs_secret", ["GITHUB_API_URL"] = url }));

        Assert.Equal(new Uri(url), environment.ApiUrl);
    }
}
