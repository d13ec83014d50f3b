using System.Diagnostics;
using System.Globalization;
using System.Text;
using PeftOps.TestSupport;
using YamlDotNet.RepresentationModel;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>An event as GitHub delivers it: its name, the commit and ref it runs on, and its payload.</summary>
internal sealed record ActionsEvent(string Name, string Sha, string Ref, IReadOnlyDictionary<string, object?> Payload)
{
    public string RefName => Ref.Split('/', 3) is [_, _, var name] ? name : Ref;
}

/// <summary>One job's run: success, failure or skipped, its outputs, its log, the folder it ran in and how long each step took.</summary>
internal sealed record JobRun(string Job, string Status, IReadOnlyDictionary<string, string> Outputs, string Log, string? Folder)
{
    /// <summary>Each step that ran (its <c>name:</c>, <c>uses:</c> or first line of <c>run:</c>) and its wall-clock time.</summary>
    public IReadOnlyList<(string Step, TimeSpan Took)> Timings { get; init; } = [];

    public TimeSpan Took => Timings.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Took);
}

/// <summary>
/// Runs a workflow's jobs as GitHub would, on this machine: every job in a fresh clone of the event's commit in a
/// folder of its own (nothing survives between jobs), <c>env:</c> resolved from the YAML with stand-in <c>secrets</c>,
/// <c>vars</c>, <c>github</c> and <c>inputs</c>, <c>run:</c> steps executed with bash, and each <c>uses:</c> step
/// replaced by what it does (checkout: the clone; upload-artifact: a copy; cache: <see cref="ActionsCache"/>, restored
/// by its evaluated key and saved when the job succeeds; setup actions: nothing, the machine has the SDK). The workflow
/// is read from the event's commit, as GitHub reads it.
/// </summary>
internal sealed class ActionsRunner(string origin, string workRoot, IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string> vars, Uri apiUrl)
{
    public const string Repository = "o/r";

    /// <summary>
    /// How long one <c>run:</c> step may take: the first regression-gate step builds the CLI and trains an adapter on the
    /// CPU while CI runs the other test projects beside it on two cores.
    /// </summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(45);

    private readonly ActionsCache _cache = new(Path.Combine(workRoot, "cache"));
    private int _runs;

    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the workflow's <c>on:</c> filters let this event start it (tags of pushes are checked).</summary>
    public static bool Triggers(YamlMappingNode workflow, ActionsEvent e)
    {
        if (Child(workflow, "on") is not YamlMappingNode on || Child(on, e.Name) is not { } trigger)
            return false;
        if (e.Name == "push" && e.Ref.StartsWith("refs/tags/", StringComparison.Ordinal))
            return trigger is YamlMappingNode push && Child(push, "tags") is YamlSequenceNode tags
                && FilterPattern.Matches([.. tags.Children.Select(t => ((YamlScalarNode)t).Value!)], e.RefName);
        return true;
    }

    public YamlMappingNode Workflow(string sha, string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(GitCli.Run(origin, "show", $"{sha}:.github/workflows/{file}")));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Runs every job the event starts, in the order of their <c>needs</c>; an event the filters refuse runs nothing.</summary>
    public async Task<IReadOnlyList<JobRun>> RunAsync(string file, ActionsEvent e, IReadOnlyDictionary<string, object?>? inputs = null)
    {
        var workflow = Workflow(e.Sha, file);
        if (!Triggers(workflow, e))
            return [];
        var runs = new List<JobRun>();
        var outputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var jobs = (YamlMappingNode)Child(workflow, "jobs")!;
        var pending = jobs.Children.Select(j => (Name: Scalar(j.Key)!, Job: (YamlMappingNode)j.Value)).ToList();
        while (pending.Count > 0)
        {
            var ready = pending.First(j => Needs(j.Job).All(n => outputs.ContainsKey(n)));
            pending.Remove(ready);
            var needs = Needs(ready.Job).ToDictionary(n => n, n => outputs[n], StringComparer.OrdinalIgnoreCase);
            var contexts = Contexts(e, inputs, needs, matrix: null, steps: null, env: null);
            var status = RunStatus.OfJob([.. Needs(ready.Job).Select(n => Result(outputs[n]))], [.. Ancestors(jobs, ready.Job).Select(n => Result(outputs[n]))]);
            if (!ActionsExpression.Condition(Scalar(Child(ready.Job, "if")), contexts, status))
            {
                runs.Add(new JobRun(ready.Name, "skipped", new Dictionary<string, string>(), "", null));
                outputs[ready.Name] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["result"] = "skipped", ["outputs"] = new Dictionary<string, object?>() };
                continue;
            }
            var jobRuns = new List<JobRun>();
            foreach (var matrix in Matrices(ready.Job, contexts))
                jobRuns.Add(await RunJobAsync(workflow, ready.Name, ready.Job, e, inputs, needs, matrix));
            runs.AddRange(jobRuns);
            outputs[ready.Name] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["result"] = jobRuns.All(r => r.Status == "success") ? "success" : "failure",
                ["outputs"] = jobRuns.SelectMany(r => r.Outputs).GroupBy(o => o.Key).ToDictionary(g => g.Key, g => (object?)g.Last().Value, StringComparer.OrdinalIgnoreCase),
            };
        }
        return runs;
    }

    private async Task<JobRun> RunJobAsync(YamlMappingNode workflow, string name, YamlMappingNode job, ActionsEvent e,
        IReadOnlyDictionary<string, object?>? inputs, Dictionary<string, object?> needs, IReadOnlyDictionary<string, object?>? matrix)
    {
        var runnerKind = Scalar(Child(job, "runs-on")) is { } hosted ? hosted : "self-hosted";
        var folder = Path.Combine(workRoot, $"{Interlocked.Increment(ref _runs):00}-{runnerKind}-{name}");
        Directory.CreateDirectory(folder);
        var workspace = Path.Combine(folder, "work");
        var log = new StringBuilder();
        var steps = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var status = "success";
        var eventPath = Path.Combine(folder, "event.json");
        await File.WriteAllTextAsync(eventPath, System.Text.Json.JsonSerializer.Serialize(e.Payload));
        var contexts = Contexts(e, inputs, needs, matrix, steps, env, workspace);
        foreach (var source in new[] { Child(workflow, "env"), Child(job, "env") }.OfType<YamlMappingNode>())
        {
            foreach (var (key, value) in source.Children)
                env[Scalar(key)!] = ActionsExpression.Interpolate(Scalar(value) ?? "", contexts);
        }

        var index = 0;
        var timings = new List<(string Step, TimeSpan Took)>();
        var caches = new List<ActionsCache.Use>();
        foreach (var step in ((YamlSequenceNode)Child(job, "steps")!).Children.Cast<YamlMappingNode>())
        {
            index++;
            var condition = Scalar(Child(step, "if"));
            if (!ActionsExpression.Condition(condition, contexts, RunStatus.Of([status])))
                continue;
            var clock = Stopwatch.StartNew();
            if (Scalar(Child(step, "uses")) is { } uses)
            {
                if (uses.StartsWith("actions/checkout@", StringComparison.Ordinal))
                {
                    GitCli.Run(folder, "clone", "--quiet", origin, workspace);
                    GitCli.Run(workspace, "checkout", "--quiet", "--detach", e.Sha);
                }
                else if (uses.StartsWith("actions/upload-artifact@", StringComparison.Ordinal))
                    UploadArtifact(step, workspace, contexts);
                else if (uses.StartsWith("actions/cache@", StringComparison.Ordinal))
                {
                    var cache = RestoreCache(step, workspace, contexts);
                    caches.Add(cache);
                    log.Append(CultureInfo.InvariantCulture, $"actions/cache {cache.Key}: {(cache.Hit ? "restored" : "not found")}\n");
                    if (Scalar(Child(step, "id")) is { } cacheId)
                        steps[cacheId] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
                        {
                            ["outputs"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["cache-hit"] = cache.Hit ? "true" : "false" }, ["outcome"] = "success",
                        };
                }
                timings.Add((uses.Split('@')[0], clock.Elapsed));
                continue;
            }
            var stepEnv = new Dictionary<string, string>(env, StringComparer.Ordinal);
            if (Child(step, "env") is YamlMappingNode own)
            {
                foreach (var (key, value) in own.Children)
                    stepEnv[Scalar(key)!] = ActionsExpression.Interpolate(Scalar(value) ?? "", contexts);
            }
            var outputFile = Path.Combine(folder, $"output-{index}");
            File.WriteAllText(outputFile, "");
            var script = Scalar(Child(step, "run"))!;
            var (code, text) = await BashAsync(script, workspace, Defaults(e, folder, workspace, eventPath, outputFile), stepEnv);
            log.Append(text);
            timings.Add((Scalar(Child(step, "name")) ?? script.Split('\n')[0], clock.Elapsed));
            if (Scalar(Child(step, "id")) is { } id)
            {
                var stepOutputs = File.ReadAllLines(outputFile).Where(l => l.Contains('=', StringComparison.Ordinal))
                    .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => (object?)l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.OrdinalIgnoreCase);
                steps[id] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["outputs"] = stepOutputs, ["outcome"] = code == 0 ? "success" : "failure" };
            }
            if (code != 0)
                status = "failure";
        }
        if (status == "success")
        {
            // actions/cache's post step: saves what a step did not find, once the job has succeeded
            var clock = Stopwatch.StartNew();
            foreach (var cache in caches)
                _cache.Save(cache, workspace);
            timings.Add(("post actions/cache", clock.Elapsed));
        }
        var outputs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (status == "success" && Child(job, "outputs") is YamlMappingNode declared)
        {
            foreach (var (key, value) in declared.Children)
                outputs[Scalar(key)!] = ActionsExpression.Interpolate(Scalar(value) ?? "", contexts);
        }
        return new JobRun(name, status, outputs, log.ToString(), workspace) { Timings = timings };
    }

    private Dictionary<string, object?> Contexts(ActionsEvent e, IReadOnlyDictionary<string, object?>? inputs, Dictionary<string, object?> needs,
        IReadOnlyDictionary<string, object?>? matrix, Dictionary<string, object?>? steps, Dictionary<string, string>? env, string? workspace = null)
    {
        var github = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["event_name"] = e.Name, ["sha"] = e.Sha, ["ref"] = e.Ref, ["ref_name"] = e.RefName, ["repository"] = Repository,
            ["event"] = Lower(e.Payload), ["actor"] = "release-manager", ["actor_id"] = "4242001", ["run_id"] = "4242", ["workflow"] = "w",
            ["base_ref"] = e.Name == "pull_request" ? "main" : "",
            ["workspace"] = workspace,
        };
        return new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["github"] = github,
            ["secrets"] = secrets.ToDictionary(s => s.Key, s => (object?)s.Value, StringComparer.OrdinalIgnoreCase),
            ["vars"] = vars.ToDictionary(s => s.Key, s => (object?)s.Value, StringComparer.OrdinalIgnoreCase),
            ["inputs"] = inputs is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(inputs, StringComparer.OrdinalIgnoreCase),
            ["needs"] = needs,
            ["matrix"] = matrix is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(matrix, StringComparer.OrdinalIgnoreCase),
            ["steps"] = steps ?? new Dictionary<string, object?>(),
            ["env"] = env?.ToDictionary(p => p.Key, p => (object?)p.Value) ?? new Dictionary<string, object?>(),
            ["runner"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["os"] = "Linux" },
            ["strategy"] = new Dictionary<string, object?>(),
        };
    }

    private static object? Lower(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Lower(p.Value), StringComparer.OrdinalIgnoreCase),
        _ => value,
    };

    private Dictionary<string, string> Defaults(ActionsEvent e, string folder, string workspace, string eventPath, string outputFile) => new(StringComparer.Ordinal)
    {
        ["CI"] = "true",
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_REPOSITORY"] = Repository,
        ["GITHUB_SHA"] = e.Sha,
        ["GITHUB_REF"] = e.Ref,
        ["GITHUB_REF_NAME"] = e.RefName,
        ["GITHUB_EVENT_NAME"] = e.Name,
        ["GITHUB_EVENT_PATH"] = eventPath,
        ["GITHUB_API_URL"] = apiUrl.ToString().TrimEnd('/'),
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_RUN_ID"] = "4242",
        ["GITHUB_ACTOR"] = "release-manager",
        ["GITHUB_ACTOR_ID"] = "4242001",
        ["GITHUB_WORKSPACE"] = workspace,
        ["GITHUB_OUTPUT"] = outputFile,
        ["GITHUB_STEP_SUMMARY"] = Path.Combine(folder, "step-summary.md"),
        ["RUNNER_OS"] = "Linux",
        ["RUNNER_TEMP"] = folder,
        // a hosted runner has no git identity: no user.name or user.email beyond what the workflow itself sets
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    private void UploadArtifact(YamlMappingNode step, string workspace, Dictionary<string, object?> contexts)
    {
        var with = (YamlMappingNode)Child(step, "with")!;
        var name = ActionsExpression.Interpolate(Scalar(Child(with, "name"))!, contexts);
        foreach (var line in Lines(ActionsExpression.Interpolate(Scalar(Child(with, "path"))!, contexts)))
            FileTree.Copy(Path.Combine(workspace, line), Path.Combine(workRoot, "uploaded", name, line));
    }

    /// <summary>actions/cache's restore: <c>path</c>, <c>key</c> and <c>restore-keys</c> evaluated, then <see cref="ActionsCache.Restore"/>.</summary>
    private ActionsCache.Use RestoreCache(YamlMappingNode step, string workspace, Dictionary<string, object?> contexts)
    {
        var with = (YamlMappingNode)Child(step, "with")!;
        string Input(string key) => ActionsExpression.Interpolate(Scalar(Child(with, key)) ?? "", contexts);
        return _cache.Restore(Input("key"), Lines(Input("restore-keys")), Lines(Input("path")), workspace);
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private async Task<(int Code, string Log)> BashAsync(string script, string workspace, Dictionary<string, string> defaults, Dictionary<string, string> env)
    {
        // GitHub's default shell on Linux: bash --noprofile --norc -eo pipefail {0}
        var file = Path.Combine(workspace, "..", $"step-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(file, script);
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workspace, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--noprofile", "--norc", "-eo", "pipefail", file })
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GITHUB_", StringComparison.Ordinal) || k.StartsWith("PEFTOPS_", StringComparison.Ordinal)
                     || k.StartsWith("ACTIONS_", StringComparison.Ordinal) || k.StartsWith("RUNNER_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in defaults.Concat(ExtraEnvironment).Concat(env))
            start.Environment[key] = value;
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // a step that hangs or overruns is killed with everything it started, and its output so far is the failure
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"the step ran past {StepTimeout.TotalMinutes} minutes and was killed:\n$ {script}\n{Tail(await stdout + await stderr)}");
        }
        return (process.ExitCode, $"$ {script}\n{await stdout}{await stderr}\n(exit {process.ExitCode})\n");
    }

    private static IEnumerable<IReadOnlyDictionary<string, object?>?> Matrices(YamlMappingNode job, Dictionary<string, object?> contexts)
    {
        if (Child(job, "strategy") is not YamlMappingNode strategy || Child(strategy, "matrix") is not YamlMappingNode matrix)
            return [null];
        var (key, value) = matrix.Children.Single();
        var values = value is YamlSequenceNode list
            ? list.Children.Select(v => (object?)Scalar(v)).ToList()
            : (List<object?>)ActionsExpression.Evaluate(Scalar(value)!.Trim()[3..^2].Trim(), contexts)!;
        return values.Select(v => (IReadOnlyDictionary<string, object?>?)new Dictionary<string, object?> { [Scalar(key)!] = v });
    }

    private static IEnumerable<string> Needs(YamlMappingNode job) => Child(job, "needs") switch
    {
        YamlScalarNode one => [one.Value!],
        YamlSequenceNode many => many.Children.Select(n => Scalar(n)!),
        _ => [],
    };

    /// <summary>The jobs <paramref name="job"/> needs, and the jobs those need, and so on: <c>failure()</c> looks at all of them.</summary>
    private static IEnumerable<string> Ancestors(YamlMappingNode jobs, YamlMappingNode job) =>
        Needs(job).SelectMany(n => Ancestors(jobs, (YamlMappingNode)Child(jobs, n)!).Prepend(n)).Distinct(StringComparer.OrdinalIgnoreCase);

    private static string? Result(object? job) => ((Dictionary<string, object?>)job!)["result"] as string;

    public static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string? Scalar(YamlNode? node) => node is YamlScalarNode s ? s.Value : null;

    /// <summary>The last 6,000 characters of a log: enough to show why a step failed in an assertion message.</summary>
    public static string Tail(string log) => log.Length <= 6000 ? log : log[^6000..];
}
