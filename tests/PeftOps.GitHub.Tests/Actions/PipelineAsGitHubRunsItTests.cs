using PeftOps.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit.Abstractions;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// The three workflows run as GitHub runs them (<see cref="ActionsRunner"/>): a bare git repository as origin holding
/// this working tree, Azurite as the artifact store reached only through the names the workflows pass
/// (<c>vars.PEFTOPS_REGISTRY</c>, <c>secrets.PEFTOPS_AZURE_STORAGE_CONNECTION_STRING</c>), and a WireMock server as the
/// GitHub API. One journey, each step a workflow run on fresh clones: a pull request is gated and reported, a second
/// push edits the same comment, a fork's pull request never reaches the GPU job, a pushed tag releases the reviewed
/// candidate, dispatches promote and roll back, a third clone sees the same history, and a pull request that changes
/// only data is reported with the data diff against production. The pull requests change an adapter made for the
/// journey (<see cref="TinyAdapter"/>, added to origin only) that trains in seconds; the first job that builds the CLI
/// saves its build with actions/cache and every later one restores it by the hash of its sources instead of building.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineAsGitHubRunsItTests(AzuriteFixture azurite, ITestOutputHelper output) : IDisposable
{
    private const string Adapter = "tiny";
    private const string ServeToken = "serve-token-stand-in";
    private readonly TempDirectory _temp = new("peftops-actions");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_pull_request_is_gated_and_the_reviewed_candidate_is_released_promoted_and_rolled_back()
    {
        using var github = new GitHubStandIn();
        // a running `peftops serve` that answers POST /v1/refresh only with the token the workflow passes as a secret
        using var serve = WireMockServer.Start();
        serve.Given(Request.Create().WithPath("/v1/refresh").UsingPost().WithHeader("Authorization", $"Bearer {ServeToken}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"changes":[],"adapters":[]}"""));
        var origin = _temp.Combine("origin.git");
        var seed = _temp.Combine("seed");
        SeedOrigin(origin, seed);
        var runs = new List<JobRun>();
        var container = $"pipeline-{Guid.NewGuid():N}"[..24];
        var runner = new ActionsRunner(origin, _temp.Combine("runners"),
            new Dictionary<string, string>
            {
                ["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString, ["GITHUB_TOKEN"] = "ghs_stand-in-token", ["PEFTOPS_SERVE_TOKEN"] = ServeToken,
            },
            // this machine has no GPU: the repository variable the workflow offers for that sends the GPU job to the CPU;
            // PEFTOPS_SERVE_URL names the server a stage change notifies (build.cake's NotifyServer, then peftops serve refresh)
            new Dictionary<string, string>
            {
                ["PEFTOPS_REGISTRY"] = $"azure://devstoreaccount1/{container}", ["PEFTOPS_DEVICE"] = "cpu", ["PEFTOPS_SERVE_URL"] = serve.Urls[0],
            },
            github.ApiUrl);

        // an engineer opens a pull request that changes the adapter's spec
        Git(seed, "checkout", "-q", "-b", "better-intents");
        Edit(seed, $"adapters/{Adapter}/adapter.yaml", $"name: {Adapter}\n", $"name: {Adapter}\ndescription: colour intents, reviewed in the harness\n");
        var head = Commit(seed, $"{Adapter}: describe it");
        Git(seed, "push", "-q", "origin", "better-intents");
        var pr = Timed(runs, await runner.RunAsync("adapter-pr.yml", PullRequest(head, "o/r")));
        Assert.True(pr.All(j => j.Status == "success"), string.Join("\n", pr.Select(j => ActionsRunner.Tail(j.Log))));
        Assert.Equal(["changed:success", "regression-gate:success"], pr.Select(Summary));
        // the first job that needs the CLI builds it and saves the build under the hash of its sources
        Assert.Contains("actions/cache peftops-cli-Linux-", pr[1].Log, StringComparison.Ordinal);
        Assert.DoesNotContain("peftops is up to date", pr[1].Log, StringComparison.Ordinal);
        var comment = Assert.Single(github.Comments(7));
        Assert.Contains("<!-- peftops", comment.Value, StringComparison.Ordinal);
        Assert.Contains("```mermaid\nxychart-beta", comment.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(".png)", comment.Value, StringComparison.Ordinal);
        Assert.Contains(github.Requests, r => r.Method == "POST" && r.Path == "/repos/o/r/check-runs");

        // a second push edits the same comment and reuses the candidate kept for the same inputs
        Edit(seed, $"adapters/{Adapter}/README.md", "", "\nReviewed in the harness.\n", append: true);
        var second = Commit(seed, "support-intents: a note");
        Git(seed, "push", "-q", "origin", "better-intents");
        var again = Timed(runs, await runner.RunAsync("adapter-pr.yml", PullRequest(second, "o/r")));
        Assert.Equal(["changed:success", "regression-gate:success"], again.Select(Summary));
        Assert.Equal(comment.Key, Assert.Single(github.Comments(7)).Key);
        Assert.Contains("reused, not trained again", again[1].Log, StringComparison.Ordinal);
        // a later job restores the CLI build by the same key, and BuildCli sees it was built from these sources;
        // every job after the first restores the compiled build script
        Assert.EndsWith(": restored", again[1].Log.Split('\n').Single(l => l.StartsWith("actions/cache peftops-cli-", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith(": restored", again[0].Log.Split('\n').Single(l => l.StartsWith("actions/cache cake-", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("peftops is up to date", again[1].Log, StringComparison.Ordinal);

        // a fork's pull request never reaches the self-hosted GPU runner
        var fork = Timed(runs, await runner.RunAsync("adapter-pr.yml", PullRequest(second, "someone/r")));
        Assert.Equal(["changed:success", "regression-gate:skipped"], fork.Select(Summary));

        // merged; the release manager pushes a plain tag: the reviewed bytes are released, the tag becomes the lineage tag
        Git(seed, "push", "-q", "origin", "better-intents:main");
        Git(seed, "tag", $"{Adapter}@v1.0.0", second);
        Git(seed, "push", "-q", "origin", $"{Adapter}@v1.0.0");
        var release = Timed(runs, await runner.RunAsync("release.yml", TagPush($"{Adapter}@v1.0.0", second)));
        Assert.True(release.All(j => j.Status is "success" or "skipped"), string.Join("\n", release.Select(j => j.Log)));
        Assert.Equal(["resolve:success", "release:success", "stage:skipped"], release.Select(Summary));
        var lineage = Git(origin, "tag", "-l", "--format=%(objecttype) %(contents)", $"{Adapter}@v1.0.0");
        Assert.StartsWith("tag {\"schema\":\"peftops.lineage/v1\"", lineage, StringComparison.Ordinal);
        Assert.Contains("\"origin\":{\"kind\":\"reviewed\"", lineage, StringComparison.Ordinal);
        Assert.Contains($"\"reviewed_commit\":\"{head}\"", lineage, StringComparison.Ordinal);
        Assert.Contains(github.Requests, r => r.Method == "POST" && r.Path == "/repos/o/r/releases" && r.Body.Contains($"{Adapter}@v1.0.0", StringComparison.Ordinal));
        Assert.DoesNotContain(release[1].Log.Split('\n'), l => l.StartsWith("peftops train ", StringComparison.Ordinal));   // shipped, not trained again
        Assert.Contains(release[1].Log.Split('\n'), l => l.StartsWith("peftops registry candidate fetch ", StringComparison.Ordinal));

        // the tag filter starts releases for release tags only
        var workflow = runner.Workflow(second, "release.yml");
        Assert.False(ActionsRunner.Triggers(workflow, TagPush($"{Adapter}@v1.0.0!#8", second)));
        Assert.False(ActionsRunner.Triggers(workflow, TagPush($"{Adapter}#production#3", second)));
        Assert.True(ActionsRunner.Triggers(workflow, TagPush($"{Adapter}@v1.1.0-rc.1", second)));

        // promote on another runner, release a second version of the same bytes, promote it, roll back
        await Dispatch(runner, runs, second, "promote", "1.0.0");
        Git(seed, "tag", $"{Adapter}@v1.0.1", second);
        Git(seed, "push", "-q", "origin", $"{Adapter}@v1.0.1");
        Assert.Equal(["resolve:success", "release:success", "stage:skipped"], Timed(runs, await runner.RunAsync("release.yml", TagPush($"{Adapter}@v1.0.1", second))).Select(Summary));
        await Dispatch(runner, runs, second, "promote", "1.0.1");
        await Dispatch(runner, runs, second, "rollback", "");
        // each of the three stage changes told the server, with its token (a wrong one gets 404 and fails the step)
        Assert.Equal(3, serve.LogEntries.Count(e => e.RequestMessage.Path == "/v1/refresh" && e.ResponseMessage.StatusCode is 200));

        // a third clone agrees: production holds v1.0.0 again, after three stage changes
        var third = _temp.Combine("third");
        GitCli.Run(_temp.Path, "clone", "-q", origin, third);
        var cli = Path.Combine(release[1].Folder!, "src", "PeftOps.Cli", "bin", "Release", "net10.0", "peftops.dll");
        var show = await Peftops(third, cli, container, "registry", "show", Adapter);
        var history = await Peftops(third, cli, container, "registry", "history", Adapter);
        Assert.Contains("production", show, StringComparison.Ordinal);
        Assert.Matches(@"production\s+v1\.0\.0", show);
        Assert.Equal(2, history.Split('\n').Count(l => l.Contains(" assignment ", StringComparison.Ordinal)));
        Assert.Single(history.Split('\n'), l => l.Contains(" rollback ", StringComparison.Ordinal));
        // every registry tag names the actor who started its run as tagger: the build sets it, the runner has no git identity
        var taggers = Git(third, "for-each-ref", "--format=%(objecttype) %(taggername) %(taggeremail)", "refs/tags")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(t => t.StartsWith("tag ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, taggers.Count); // two releases, three stage changes
        Assert.All(taggers, t => Assert.Equal("tag release-manager <4242001+release-manager@users.noreply.github.com>", t));

        // a pull request that changes only data: one row removed, one relabelled, one added; its report shows the rows
        // added, removed and relabelled per label against the data of production's version (v1.0.0, trained at head)
        Git(seed, "checkout", "-q", "-b", "more-colours");
        var train = Path.Combine(seed, "adapters", Adapter, "data", "train.jsonl");
        var rows = File.ReadAllLines(train);
        Assert.Equal("""{"text": "like green i green", "label": "green"}""", rows[1]);
        File.WriteAllLines(train, [rows[1].Replace("\"green\"}", "\"blue\"}", StringComparison.Ordinal), .. rows[2..], """{"text": "my sea is blue", "label": "blue"}"""]);
        var data = Commit(seed, $"{Adapter}: more colours");
        Git(seed, "push", "-q", "origin", "more-colours");
        var dataPr = Timed(runs, await runner.RunAsync("adapter-pr.yml", PullRequest(data, "o/r", number: 8)));
        Assert.True(dataPr.All(j => j.Status == "success"), string.Join("\n", dataPr.Select(j => ActionsRunner.Tail(j.Log))));
        var report = Assert.Single(github.Comments(8)).Value;
        Assert.Matches(@"Data diff against `v?1\.0\.0` \(commit `[0-9a-f]{12}`\):", report);
        Assert.Contains(string.Join("\n",
            "| `data/train.jsonl` | **all** | 1 | 1 | 1 | 1 |",
            "| | `blue` | 1 | 0 | 1 | 0 |",
            "| | `green` | 0 | 0 | 0 | 1 |",
            "| | `red` | 0 | 1 | 0 | 0 |"), report.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("| `data/validation.jsonl` | (unchanged) | 0 | 0 | 0 | 0 |", report, StringComparison.Ordinal);

        output.WriteLine("job                        took      steps");
        foreach (var run in runs.Where(r => r.Status != "skipped"))
            output.WriteLine($"{run.Job,-26} {run.Took.TotalSeconds,6:0.0} s  " + string.Join("; ", run.Timings.Select(t => $"{t.Step} {t.Took.TotalSeconds:0.0} s")));
    }

    /// <summary>Keeps a workflow run's jobs for the timing table the test writes at its end.</summary>
    private static IReadOnlyList<JobRun> Timed(List<JobRun> runs, IReadOnlyList<JobRun> run)
    {
        runs.AddRange(run);
        return run;
    }

    private async Task Dispatch(ActionsRunner runner, List<JobRun> all, string sha, string action, string version)
    {
        var inputs = new Dictionary<string, object?> { ["action"] = action, ["adapter"] = Adapter, ["version"] = version, ["stage"] = "production", ["reason"] = "", ["retrain"] = false };
        var runs = Timed(all, await runner.RunAsync("release.yml", new ActionsEvent("workflow_dispatch", sha, "refs/heads/main",
            new Dictionary<string, object?> { ["inputs"] = inputs, ["repository"] = Repository() }), inputs));
        Assert.True(runs.All(j => j.Status is "success" or "skipped"), string.Join("\n", runs.Select(j => j.Log)));
        Assert.Equal(["resolve:success", "release:skipped", "stage:success"], runs.Select(Summary));
        Assert.Contains("peftops is up to date", runs[2].Log, StringComparison.Ordinal);
    }

    private static string Summary(JobRun run) => $"{run.Job}:{run.Status}";

    private static Dictionary<string, object?> Repository() => new() { ["full_name"] = "o/r", ["default_branch"] = "main" };

    private static ActionsEvent PullRequest(string head, string headRepository, int number = 7) => new("pull_request", head, $"refs/pull/{number}/merge", new Dictionary<string, object?>
    {
        ["pull_request"] = new Dictionary<string, object?>
        {
            ["number"] = number,
            ["head"] = new Dictionary<string, object?> { ["sha"] = head, ["repo"] = new Dictionary<string, object?> { ["full_name"] = headRepository } },
            ["base"] = new Dictionary<string, object?> { ["ref"] = "main" },
        },
        ["repository"] = Repository(),
    });

    private static ActionsEvent TagPush(string tag, string sha) =>
        new("push", sha, $"refs/tags/{tag}", new Dictionary<string, object?> { ["ref"] = $"refs/tags/{tag}", ["repository"] = Repository() });

    private async Task<string> Peftops(string directory, string cli, string container, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["PEFTOPS_REGISTRY"] = $"azure://devstoreaccount1/{container}";
        start.Environment["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString;
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"peftops {string.Join(' ', args)} exited {process.ExitCode}: {error}");
        return output;
    }

    /// <summary>
    /// Origin holds this working tree (tracked and new files, as git would add them) and the journey's own adapter
    /// (adapters/tiny with its base model in models/tiny-bert) as one commit on main.
    /// </summary>
    private static void SeedOrigin(string origin, string seed)
    {
        GitCli.Run(Path.GetDirectoryName(origin)!, "init", "-q", "--bare", "-b", "main", origin);
        var files = GitCli.Run(TestPaths.RepoRoot, "ls-files", "-co", "--exclude-standard", "-z").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files.Where(f => File.Exists(Path.Combine(TestPaths.RepoRoot, f))))
        {
            var target = Path.Combine(seed, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(TestPaths.RepoRoot, file), target);
        }
        using (var tiny = new TinyAdapter("data_checks: {max_leakage: 0, max_conflicts: 0}"))
        {
            var adapter = Path.Combine(seed, "adapters", Adapter);
            FileTree.Copy(tiny.Directory, adapter);
            FileTree.Copy(tiny.Model, Path.Combine(seed, "models", "tiny-bert"));
            Edit(seed, $"adapters/{Adapter}/adapter.yaml", $"base_model: {tiny.Model}", "base_model: models/tiny-bert");
            File.WriteAllText(Path.Combine(adapter, "README.md"), "# tiny\n\nThree colour intents on a tiny BERT: the adapter the workflow journey's pull requests change.\n");
        }
        GitCli.Run(seed, "init", "-q", "-b", "main");
        GitCli.Run(seed, "config", "user.name", "Release Manager");
        GitCli.Run(seed, "config", "user.email", "rm@example.com");
        Commit(seed, "the project");
        GitCli.Run(seed, "remote", "add", "origin", origin);
        GitCli.Run(seed, "push", "-q", "origin", "main");
    }

    private static void Edit(string repo, string file, string find, string replace, bool append = false)
    {
        var path = Path.Combine(repo, file);
        var text = File.ReadAllText(path);
        Assert.True(append || text.Contains(find, StringComparison.Ordinal), $"{file} has no '{find}'");
        File.WriteAllText(path, append ? text + replace : text.Replace(find, replace, StringComparison.Ordinal));
    }

    private static string Commit(string repo, string message)
    {
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "-c", "user.name=Engineer", "-c", "user.email=engineer@example.com", "commit", "-q", "-m", message);
        return GitCli.Run(repo, "rev-parse", "HEAD").Trim();
    }

    private static string Git(string repo, params string[] args) => GitCli.Run(repo, args);
}
