using PeftOps.Contracts;
using System.Text.Json;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>The report publisher end to end: real Octokit against a real HTTP server that records what it was sent.</summary>
public sealed class ReportPublisherTests : IDisposable
{
    private readonly FakeGitHub _github = new();
    private readonly TempDirectory _temp = new("peftops-github");
    private readonly StringWriter _log = new();

    public void Dispose()
    {
        _github.Dispose();
        _temp.Dispose();
        _log.Dispose();
    }

    private string Gate(Conclusion conclusion = Conclusion.Success, Verdict verdict = Verdict.Pass, string? report = null) =>
        GateFolder.Write(_temp.Combine("gate"), "support-intents", verdict, conclusion, "support-intents passes: intents.accuracy 0.93 (+0.02)",
            report ?? GateFolder.Report("support-intents", "pass"));

    [Fact]
    public async Task Creates_the_sticky_comment_when_no_comment_has_the_marker()
    {
        _github.HasComments([new { id = 1, body = "LGTM" }, new { id = 2, body = "<!-- peftops:report adapter=other -->\nother" }]);
        _github.AcceptsCheckRuns();

        var publication = await new ReportPublisher(_github.Environment(), _log).PublishGateAsync("support-intents", Gate(), CancellationToken.None);

        var posts = _github.RequestsTo("POST", "/repos/o/r/issues/7/comments");
        var post = Assert.Single(posts);
        var body = FakeGitHub.BodyOf(post).GetProperty("body").GetString()!;
        Assert.StartsWith("<!-- peftops:report adapter=support-intents -->\n## support-intents: pass", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.Requests, e => e.RequestMessage.Method == "PATCH");
        Assert.Equal(900, publication.Comment!.Id);
        Assert.False(publication.Comment.Updated);
        Assert.Contains("Created the report comment on o/r#7", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updates_the_marked_comment_found_on_the_second_page_instead_of_adding_one()
    {
        var firstPage = Enumerable.Range(1, 100).Select(i => (object)new { id = i, body = $"comment {i}" }).ToArray();
        _github.HasComments(firstPage, [new { id = 555, body = "<!-- peftops:report adapter=support-intents -->\nold report" }]);
        _github.AcceptsCheckRuns();

        var publication = await new ReportPublisher(_github.Environment(), _log).PublishGateAsync("support-intents", Gate(), CancellationToken.None);

        var lists = _github.RequestsTo("GET", "/repos/o/r/issues/7/comments");
        Assert.Equal(2, lists.Count);
        Assert.Equal("2", lists[1].RequestMessage.Query!["page"].Single());
        Assert.Empty(_github.RequestsTo("POST", "/repos/o/r/issues/7/comments"));
        var patch = Assert.Single(_github.RequestsTo("PATCH", "/repos/o/r/issues/comments/555"));
        Assert.StartsWith("<!-- peftops:report adapter=support-intents -->", FakeGitHub.BodyOf(patch).GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.True(publication.Comment!.Updated);
    }

    [Theory]
    [InlineData("pass", "success")]
    [InlineData("fail", "failure")]
    [InlineData("inconclusive", "neutral")]
    public async Task Posts_a_completed_check_run_with_the_gate_conclusion_and_the_report_as_summary(string verdict, string conclusion)
    {
        _github.HasComments([]);
        _github.AcceptsCheckRuns();

        var publication = await new ReportPublisher(_github.Environment(), _log).PublishGateAsync(
            "support-intents", Gate(Enum.Parse<Conclusion>(conclusion, ignoreCase: true), Enum.Parse<Verdict>(verdict, ignoreCase: true)), CancellationToken.None);

        var run = FakeGitHub.BodyOf(Assert.Single(_github.RequestsTo("POST", "/repos/o/r/check-runs")));
        Assert.Equal("peftops / support-intents", run.GetProperty("name").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", run.GetProperty("head_sha").GetString());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(conclusion, run.GetProperty("conclusion").GetString());
        Assert.True(run.TryGetProperty("completed_at", out _));
        Assert.Equal("support-intents passes: intents.accuracy 0.93 (+0.02)", run.GetProperty("output").GetProperty("title").GetString());
        Assert.Equal(GateFolder.Report("support-intents", "pass"), run.GetProperty("output").GetProperty("summary").GetString());
        Assert.Equal(4242, publication.CheckRunId);
    }

    [Fact]
    public async Task Sends_the_token_in_the_authorization_header_of_every_request()
    {
        _github.HasComments([]);
        _github.AcceptsCheckRuns();

        await new ReportPublisher(_github.Environment(), _log).PublishGateAsync("support-intents", Gate(), CancellationToken.None);

        Assert.Equal(3, _github.Requests.Count);
        // Octokit writes the scheme as "Token"; auth schemes are case-insensitive (RFC 9110, 11.1)
        Assert.All(_github.Requests, e => Assert.Equal($"token {FakeGitHub.Token}", e.RequestMessage.Headers!["Authorization"].Single(), ignoreCase: true));
        Assert.All(_github.Requests, e => Assert.StartsWith("peftops/", e.RequestMessage.Headers!["User-Agent"].Single(), StringComparison.Ordinal));
        Assert.DoesNotContain(FakeGitHub.Token, _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_only_the_check_run_outside_a_pull_request()
    {
        _github.AcceptsCheckRuns();

        var publication = await new ReportPublisher(_github.Environment(pullRequest: null), _log).PublishGateAsync("support-intents", Gate(), CancellationToken.None);

        Assert.Null(publication.Comment);
        Assert.Equal("/repos/o/r/check-runs", Assert.Single(_github.Requests).RequestMessage.Path);
        Assert.Contains("Not a pull request (push): no PR comment", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncates_a_report_over_GitHubs_limit_with_a_note()
    {
        _github.HasComments([]);
        _github.AcceptsCheckRuns();
        var longReport = GateFolder.Report("support-intents", "pass") + new string('x', 70_000);

        await new ReportPublisher(_github.Environment(), _log).PublishGateAsync("support-intents", Gate(report: longReport), CancellationToken.None);

        var comment = FakeGitHub.BodyOf(Assert.Single(_github.RequestsTo("POST", "/repos/o/r/issues/7/comments"))).GetProperty("body").GetString()!;
        var summary = FakeGitHub.BodyOf(Assert.Single(_github.RequestsTo("POST", "/repos/o/r/check-runs"))).GetProperty("output").GetProperty("summary").GetString()!;
        Assert.Equal(GitHubText.MaxBodyLength, comment.Length);
        Assert.Equal(comment, summary);
        Assert.StartsWith("<!-- peftops:report adapter=support-intents -->", comment, StringComparison.Ordinal);
        Assert.Contains($"Report truncated to fit GitHub's limit of 65535 characters ({longReport.Length} in full)", comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creates_a_release_with_the_report_as_its_notes()
    {
        _github.HasNoRelease("support-intents@v1.3.0");

        var publication = await new ReportPublisher(_github.Environment(pullRequest: null), _log).PublishReleaseAsync("support-intents", "1.3.0", Gate(), CancellationToken.None);

        var release = FakeGitHub.BodyOf(Assert.Single(_github.RequestsTo("POST", "/repos/o/r/releases")));
        Assert.Equal("support-intents@v1.3.0", release.GetProperty("tag_name").GetString());
        Assert.Equal("support-intents v1.3.0", release.GetProperty("name").GetString());
        Assert.Equal(GateFolder.Report("support-intents", "pass"), release.GetProperty("body").GetString());
        Assert.Equal(new Uri("https://github.com/o/r/releases/tag/support-intents@v1.3.0"), publication.Release!.Url);
        Assert.False(publication.Release.Updated);
    }

    [Fact]
    public async Task Updates_the_release_of_a_version_that_already_has_one()
    {
        _github.HasRelease("support-intents@v1.3.0", id: 77);

        var publication = await new ReportPublisher(_github.Environment(pullRequest: null), _log).PublishReleaseAsync("support-intents", "v1.3.0", Gate(), CancellationToken.None);

        Assert.Empty(_github.RequestsTo("POST", "/repos/o/r/releases"));
        var edit = FakeGitHub.BodyOf(Assert.Single(_github.RequestsTo("PATCH", "/repos/o/r/releases/77")));
        Assert.Equal(GateFolder.Report("support-intents", "pass"), edit.GetProperty("body").GetString());
        Assert.True(publication.Release!.Updated);
    }

    [Fact]
    public async Task Writes_the_report_to_a_file_and_says_so_when_there_is_no_token()
    {
        var gate = Gate();

        var publication = await new ReportPublisher(_github.Environment(token: null), _log).PublishGateAsync("support-intents", gate, CancellationToken.None);

        var path = Path.Combine(gate, "comment.md");
        Assert.Equal(path, publication.LocalPath);
        Assert.Equal(GateFolder.Report("support-intents", "pass"), await File.ReadAllTextAsync(path));
        Assert.Equal($"GITHUB_TOKEN is not set: report written to {path}{Environment.NewLine}", _log.ToString());
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task Writes_the_release_notes_to_a_file_when_there_is_no_token()
    {
        var gate = Gate();

        var publication = await new ReportPublisher(_github.Environment(token: null), _log).PublishReleaseAsync("support-intents", "1.3.0", gate, CancellationToken.None);

        Assert.Equal(Path.Combine(gate, "release-notes.md"), publication.LocalPath);
        Assert.Contains("GITHUB_TOKEN is not set: release notes for support-intents@v1.3.0 written to", _log.ToString(), StringComparison.Ordinal);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task Adds_the_marker_when_the_report_lacks_it()
    {
        var gate = Gate(report: "## no marker here\n");

        await new ReportPublisher(_github.Environment(token: null), _log).PublishGateAsync("support-intents", gate, CancellationToken.None);

        Assert.Equal("<!-- peftops:report adapter=support-intents -->\n## no marker here\n", await File.ReadAllTextAsync(Path.Combine(gate, "comment.md")));
    }

    [Fact]
    public async Task Refuses_a_gate_folder_of_another_adapter_and_writes_nothing()
    {
        var gate = GateFolder.Write(_temp.Combine("other"), "other-adapter", Verdict.Pass, Conclusion.Success, "ok", "report");

        var error = await Assert.ThrowsAsync<InputException>(() => new ReportPublisher(_github.Environment(token: null), _log).PublishGateAsync("support-intents", gate, CancellationToken.None));

        Assert.Equal($"{Path.Combine(gate, "gate.json")}: adapter is 'other-adapter', expected 'support-intents'", error.Message);
        Assert.False(File.Exists(Path.Combine(gate, "comment.md")));
    }

    [Fact]
    public async Task Names_the_missing_repository_variable_before_calling_GitHub()
    {
        var environment = _github.Environment() with { Repository = null };

        var error = await Assert.ThrowsAsync<InputException>(() => new ReportPublisher(environment, _log).PublishGateAsync("support-intents", Gate(), CancellationToken.None));

        Assert.Equal("GITHUB_REPOSITORY is not set (needed with GITHUB_TOKEN; expected owner/name)", error.Message);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task Names_the_key_of_a_gate_json_with_an_unknown_conclusion()
    {
        var gate = GateFolder.Write(_temp.Combine("bad"), "support-intents", Verdict.Pass, Conclusion.Success, "ok", "report");
        var file = Path.Combine(gate, "gate.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"conclusion\": \"success\"", "\"conclusion\": \"skipped\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<InputException>(() => new ReportPublisher(_github.Environment(token: null), _log).PublishGateAsync("support-intents", gate, CancellationToken.None));

        Assert.Equal($"{file}:5: not a valid gate.json: $.conclusion: expected success, failure or neutral (was \"skipped\")", error.Message);
        Assert.False(File.Exists(Path.Combine(gate, "comment.md")));
    }

    [Fact]
    public async Task Names_the_file_of_a_gate_json_cut_short()
    {
        var gate = GateFolder.Write(_temp.Combine("cut"), "support-intents", Verdict.Pass, Conclusion.Success, "ok", "report");
        var file = Path.Combine(gate, "gate.json");
        File.WriteAllText(file, File.ReadAllText(file)[..200]);

        var error = await Assert.ThrowsAsync<InputException>(() => new ReportPublisher(_github.Environment(token: null), _log).PublishGateAsync("support-intents", gate, CancellationToken.None));

        Assert.StartsWith($"{file}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(": not a valid gate.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stops_before_any_request_when_cancelled()
    {
        _github.HasComments([]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ReportPublisher(_github.Environment(), _log).PublishGateAsync("support-intents", Gate(), cancelled.Token));

        Assert.Empty(_github.Requests);
    }

    [Fact]
    public void Reads_gate_json_with_its_headline_on_one_line()
    {
        var gate = GateFolder.Write(_temp.Combine("g"), "a", Verdict.Inconclusive, Conclusion.Neutral, "line one\nline two", "r");

        var outcome = GateOutcome.Load(Path.Combine(gate, "gate.json"));

        Assert.Equal(new GateOutcome("a", "inconclusive", CheckConclusionKind.Neutral, "line one line two"), outcome);
        _ = JsonSerializer.Serialize(outcome);
    }
}
