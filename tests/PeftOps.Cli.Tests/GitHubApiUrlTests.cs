using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary><c>peftops report</c> never sends the token over plain http to another machine.</summary>
public sealed class GitHubApiUrlTests
{
    [Fact]
    public async Task Report_refuses_a_plain_http_api_address_before_anything_is_sent_or_written()
    {
        using var gate = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = "ghs_not_a_real_token",
            ["GITHUB_REPOSITORY"] = "o/r",
            ["GITHUB_API_URL"] = "http://api.example.com",
        };

        var result = await PeftOpsRunner.AsProcess(environment, "report", "tiny", "--gate-dir", gate.Path);

        Assert.Equal("peftops: GITHUB_API_URL: must be https, or http only to this machine (localhost, 127.0.0.1, [::1]), " +
            "because the token is sent to it (was 'http://api.example.com')\n", result.Stderr);
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(gate.Path));
        Assert.DoesNotContain("ghs_not_a_real_token", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
