using PeftOps.Contracts;
using System.Text.RegularExpressions;

namespace PeftOps.GitHub;

/// <summary>
/// Publishes an adapter's gate report (<c>report.md</c> + <c>gate.json</c> in the gate folder) to GitHub:
/// the sticky PR comment, the check run <c>peftops / NAME</c>, and for a released version the GitHub
/// release. With no token it writes the Markdown to a file beside the report and logs where.
/// </summary>
public sealed partial class ReportPublisher
{
    public const string CommentFileName = "comment.md";
    public const string ReleaseNotesFileName = "release-notes.md";

    private readonly GitHubEnvironment _environment;
    private readonly IPullRequestCommenter? _commenter;
    private readonly ICheckRunPublisher? _checkRuns;
    private readonly IReleasePublisher? _releases;
    private readonly TextWriter _log;

    /// <summary>Uses Octokit when <see cref="GitHubEnvironment.Token"/> is set, a local file otherwise.</summary>
    public ReportPublisher(GitHubEnvironment environment, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _log = log ?? throw new ArgumentNullException(nameof(log));
        if (environment.Token is { } token)
        {
            var client = GitHubClientFactory.Create(environment.ApiUrl, token);
            _commenter = new OctokitPullRequestCommenter(client);
            _checkRuns = new OctokitCheckRunPublisher(client);
            _releases = new OctokitReleasePublisher(client);
        }
    }

    /// <summary>Uses the given services whenever <see cref="GitHubEnvironment.Token"/> is set.</summary>
    public ReportPublisher(GitHubEnvironment environment, IPullRequestCommenter commenter, ICheckRunPublisher checkRuns, IReleasePublisher releases, TextWriter log)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _commenter = commenter ?? throw new ArgumentNullException(nameof(commenter));
        _checkRuns = checkRuns ?? throw new ArgumentNullException(nameof(checkRuns));
        _releases = releases ?? throw new ArgumentNullException(nameof(releases));
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    public static string CheckRunName(string adapter) => $"peftops / {adapter}";

    public static string ReleaseTag(string adapter, string version) => $"{adapter}@v{version}";

    /// <summary>Posts (or updates) the sticky comment and posts the check run for the gate in <paramref name="gateDirectory"/>.</summary>
    public async Task<ReportPublication> PublishGateAsync(string adapter, string gateDirectory, CancellationToken cancellationToken)
    {
        CheckAdapterName(adapter);
        var outcome = GateOutcome.Load(Path.Combine(gateDirectory, "gate.json"));
        if (!string.Equals(outcome.Adapter, adapter, StringComparison.Ordinal))
            throw new InputException($"{Path.Combine(gateDirectory, "gate.json")}: adapter is '{outcome.Adapter}', expected '{adapter}'");
        var report = GitHubText.Truncate(ReportMarker.Prepend(ReportMarker.For(adapter), ReadReport(gateDirectory)));

        if (_environment.Token is null || _commenter is null || _checkRuns is null)
        {
            var path = WriteLocally(Path.Combine(gateDirectory, CommentFileName), report);
            await _log.WriteLineAsync($"GITHUB_TOKEN is not set: report written to {path}").ConfigureAwait(false);
            return new ReportPublication(path, null, null, null);
        }

        var repository = RequireRepository();
        var sha = _environment.HeadSha
            ?? throw new InputException("GITHUB_SHA is not set (needed with GITHUB_TOKEN for the check run's commit)");

        CommentResult? comment = null;
        if (_environment.PullRequestNumber is { } number)
        {
            comment = await _commenter.UpsertAsync(repository, number, ReportMarker.For(adapter), report, cancellationToken).ConfigureAwait(false);
            await _log.WriteLineAsync($"{(comment.Updated ? "Updated" : "Created")} the report comment on {repository}#{number}: {comment.Url}").ConfigureAwait(false);
        }
        else
        {
            await _log.WriteLineAsync($"Not a pull request ({_environment.EventName ?? "no event"}): no PR comment, check run only").ConfigureAwait(false);
        }

        var checkRun = new CheckRunRequest(CheckRunName(adapter), sha, outcome.Conclusion, outcome.Headline, report);
        var checkRunId = await _checkRuns.PublishAsync(repository, checkRun, cancellationToken).ConfigureAwait(false);
        await _log.WriteLineAsync($"Posted check run '{checkRun.Name}' ({outcome.Conclusion.ToString().ToLowerInvariant()}) on {sha}").ConfigureAwait(false);
        return new ReportPublication(null, comment, checkRunId, null);
    }

    /// <summary>
    /// Posts (or updates) the method comparison in <paramref name="compareDirectory"/> (compare.md, compare.json, written by
    /// <c>peftops compare</c>) as its own sticky comment, marked <see cref="ReportMarker.ForComparison"/>; no check run, since a
    /// comparison informs a choice and gates nothing. Without a token, or outside a pull request, it goes to DIR/comment.md.
    /// </summary>
    public async Task<ReportPublication> PublishComparisonAsync(string adapter, string compareDirectory, CancellationToken cancellationToken)
    {
        CheckAdapterName(adapter);
        ArgumentNullException.ThrowIfNull(compareDirectory);
        var json = Path.Combine(compareDirectory, ComparisonReport.FileName);
        if (!File.Exists(json))
            throw new InputException($"{json}: file not found (expected the compare.json written by 'peftops compare')");
        var comparison = ComparisonReportJson.Read(json);
        if (!string.Equals(comparison.Adapter, adapter, StringComparison.Ordinal))
            throw new InputException($"{json}: adapter is '{comparison.Adapter}', expected '{adapter}'");
        var markdownPath = Path.Combine(compareDirectory, "compare.md");
        if (!File.Exists(markdownPath))
            throw new InputException($"{markdownPath}: file not found (expected the compare.md written by 'peftops compare')");
        var marker = ReportMarker.ForComparison(adapter);
        var text = await File.ReadAllTextAsync(markdownPath, cancellationToken).ConfigureAwait(false);
        var report = GitHubText.Truncate(ReportMarker.Prepend(marker, text));

        if (_environment.Token is null || _commenter is null || _environment.PullRequestNumber is not { } number)
        {
            var path = WriteLocally(Path.Combine(compareDirectory, CommentFileName), report);
            await _log.WriteLineAsync(_environment.Token is null
                ? $"GITHUB_TOKEN is not set: comparison written to {path}"
                : $"Not a pull request ({_environment.EventName ?? "no event"}): comparison written to {path}").ConfigureAwait(false);
            return new ReportPublication(path, null, null, null);
        }
        var comment = await _commenter.UpsertAsync(RequireRepository(), number, marker, report, cancellationToken).ConfigureAwait(false);
        await _log.WriteLineAsync($"{(comment.Updated ? "Updated" : "Created")} the comparison comment on {RequireRepository()}#{number}: {comment.Url}").ConfigureAwait(false);
        return new ReportPublication(null, comment, null, null);
    }

    /// <summary>Creates or updates the GitHub release of <c>NAME@vVERSION</c> with the gate folder's report as its notes.</summary>
    public async Task<ReportPublication> PublishReleaseAsync(string adapter, string version, string gateDirectory, CancellationToken cancellationToken)
    {
        CheckAdapterName(adapter);
        ArgumentNullException.ThrowIfNull(version);
        var bare = version.StartsWith('v') ? version[1..] : version;
        if (!VersionPattern().IsMatch(bare))
            throw new InputException($"--release: expected a semantic version such as 1.3.0 (was '{version}')");
        var notes = GitHubText.Truncate(ReadReport(gateDirectory));
        var tag = ReleaseTag(adapter, bare);

        if (_environment.Token is null || _releases is null)
        {
            var path = WriteLocally(Path.Combine(gateDirectory, ReleaseNotesFileName), notes);
            await _log.WriteLineAsync($"GITHUB_TOKEN is not set: release notes for {tag} written to {path}").ConfigureAwait(false);
            return new ReportPublication(path, null, null, null);
        }

        var release = await _releases.PublishAsync(RequireRepository(), tag, $"{adapter} v{bare}", notes, cancellationToken).ConfigureAwait(false);
        await _log.WriteLineAsync($"{(release.Updated ? "Updated" : "Created")} GitHub release {tag}: {release.Url}").ConfigureAwait(false);
        return new ReportPublication(null, null, null, release);
    }

    private RepositoryId RequireRepository() => _environment.Repository
        ?? throw new InputException("GITHUB_REPOSITORY is not set (needed with GITHUB_TOKEN; expected owner/name)");

    private static void CheckAdapterName(string adapter)
    {
        if (adapter is null || !AdapterNamePattern().IsMatch(adapter))
            throw new InputException($"adapter name: expected letters, digits, '.', '_' or '-' (was '{adapter}')");
    }

    private static string ReadReport(string gateDirectory)
    {
        var path = Path.Combine(gateDirectory, "report.md");
        if (!File.Exists(path))
            throw new InputException($"{path}: file not found (expected the report.md written by 'peftops gate')");
        return File.ReadAllText(path);
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a report.</summary>
    private static string WriteLocally(string path, string content)
    {
        var full = Path.GetFullPath(path);
        AtomicFile.WriteAllText(full, content);
        return full;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex AdapterNamePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")]
    private static partial Regex VersionPattern();
}

/// <summary>
/// Where a report went: a local file when there was no token, otherwise the sticky comment
/// (null outside pull requests), the check run, or the GitHub release.
/// </summary>
public sealed record ReportPublication(string? LocalPath, CommentResult? Comment, long? CheckRunId, ReleaseResult? Release);
