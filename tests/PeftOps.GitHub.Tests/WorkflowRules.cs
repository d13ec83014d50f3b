using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PeftOps.GitHub.Tests;

/// <summary>
/// The rules every workflow in .github/workflows must keep, as a function from the workflow text to
/// its violations (one sentence each), so the rules themselves can be tested on bad workflows.
/// </summary>
internal static partial class WorkflowRules
{
    public const string ForkGuard = "github.event.pull_request.head.repo.full_name == github.repository";

    /// <summary>Write scopes a job may ask for, per workflow; everything else stays read-only.</summary>
    private static readonly Dictionary<string, string[]> AllowedWrites = new(StringComparer.Ordinal)
    {
        ["ci.yml"] = [],
        ["adapter-pr.yml"] = ["checks", "pull-requests"],
        ["release.yml"] = ["contents", "checks"],
    };

    /// <summary>Targets that train (and so need a GPU runner).</summary>
    private static readonly string[] GpuTargets = ["Train", "Evaluate", "RegressionGate", "Compare"];

    public static IReadOnlyList<string> Check(string fileName, string text, IReadOnlySet<string> targets)
    {
        var violations = new List<string>();
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var triggers = Triggers(root);
        var pullRequests = triggers.Contains("pull_request") || triggers.Contains("pull_request_target");
        if (triggers.Contains("pull_request_target"))
            violations.Add("uses pull_request_target, which runs fork code with secrets");

        // permissions: read-only at the top, write scopes only on the jobs that need them
        if (Child(root, "permissions") is not YamlMappingNode top)
            violations.Add("has no top-level permissions mapping");
        else if (top.Children.Any(p => Scalar(p.Value) != "read" || Scalar(p.Key) != "contents"))
            violations.Add($"top-level permissions must be only 'contents: read' (was {Describe(top)})");

        // concurrency: a group per workflow (or, in release.yml, per adapter on each job that writes the registry);
        // superseded runs cancelled (release queues instead: registry writes are not cut)
        var jobGroups = Child(root, "jobs") is YamlMappingNode allJobs
            && allJobs.Children.Values.OfType<YamlMappingNode>().Where(j => Child(j, "environment") is not null)
                .All(j => Child(j, "concurrency") is YamlMappingNode c && (Scalar(Child(c, "group")) ?? "").Contains("needs.resolve.outputs.adapter", StringComparison.Ordinal));
        if (Child(root, "concurrency") is not YamlMappingNode concurrency || Child(concurrency, "group") is null)
        {
            if (!(fileName == "release.yml" && jobGroups))
                violations.Add("has no concurrency group");
        }
        else if (fileName != "release.yml" && Scalar(Child(concurrency, "cancel-in-progress")) != "true")
            violations.Add("concurrency does not cancel superseded runs (cancel-in-progress: true)");

        foreach (Match uses in UsesLine().Matches(text))
        {
            var reference = uses.Groups["ref"].Value;
            if (!PinnedAction().IsMatch(reference))
                violations.Add($"action '{reference}' is not pinned to a full 40-hex commit SHA");
            else if (!VersionComment().IsMatch(uses.Groups["comment"].Value))
                violations.Add($"action '{reference}' has no '# vX' comment naming its release");
        }

        var jobs = Child(root, "jobs") as YamlMappingNode;
        if (jobs is null)
            return [.. violations, "has no jobs"];
        foreach (var (jobKey, jobNode) in jobs.Children)
        {
            var job = (YamlMappingNode)jobNode;
            var name = Scalar(jobKey);
            var steps = (Child(job, "steps") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().ToList() ?? [];
            var runs = steps.Select(s => Scalar(Child(s, "run"))).OfType<string>().ToList();
            var calledTargets = new List<string>();
            foreach (var run in runs)
            {
                var call = BuildCall().Match(run.Trim());
                if (!call.Success || run.Contains("$(", StringComparison.Ordinal))
                {
                    violations.Add($"job '{name}' runs '{run.Trim()}': steps may only call ./build.sh --target=NAME [--option=VALUE...]");
                    continue;
                }
                var target = call.Groups["target"].Value;
                calledTargets.Add(target);
                if (!targets.Contains(target))
                    violations.Add($"job '{name}' calls target '{target}', which build/build.cake does not define");
                if (run.Contains("${{", StringComparison.Ordinal))
                    violations.Add($"job '{name}' interpolates an expression into a run line; pass it through env");
            }

            if (Child(job, "permissions") is YamlMappingNode permissions)
            {
                foreach (var (scope, level) in permissions.Children)
                {
                    if (Scalar(level) == "write" && !AllowedWrites.GetValueOrDefault(fileName, []).Contains(Scalar(scope)))
                        violations.Add($"job '{name}' asks for '{Scalar(scope)}: write', which {fileName} does not need");
                }
            }
            else if (Scalar(Child(job, "permissions")) is { } wholesale)
            {
                violations.Add($"job '{name}' sets permissions to '{wholesale}'; list the scopes");
            }

            var labels = RunsOn(job);
            var selfHosted = labels.Contains("self-hosted");
            if (calledTargets.Any(t => GpuTargets.Contains(t)) && !(selfHosted && labels.Contains("gpu")))
                violations.Add($"job '{name}' trains but does not run on [self-hosted, linux, gpu] (runs-on: {string.Join(", ", labels)})");
            if (selfHosted && pullRequests && !(Scalar(Child(job, "if")) ?? "").Contains(ForkGuard, StringComparison.Ordinal))
                violations.Add($"job '{name}' runs on a self-hosted runner for pull requests without the fork guard '{ForkGuard}'");

            if (calledTargets.Count > 0 && !steps.Any(s => (Scalar(Child(s, "uses")) ?? "").StartsWith("actions/cache@", StringComparison.Ordinal)
                    && (Scalar(Child(Child(s, "with"), "path")) ?? "").Contains("~/.nuget/packages", StringComparison.Ordinal)))
                violations.Add($"job '{name}' builds without caching ~/.nuget/packages");
        }

        if (fileName == "adapter-pr.yml")
            violations.AddRange(CheckChangedAdapterMatrix(jobs));
        return violations;
    }

    /// <summary>The gate job's matrix must be the output of a job that runs the ChangedAdapters target.</summary>
    private static IEnumerable<string> CheckChangedAdapterMatrix(YamlMappingNode jobs)
    {
        var matrixJobs = jobs.Children
            .Where(j => Child(Child(Child(j.Value, "strategy"), "matrix"), "adapter") is not null)
            .ToList();
        if (matrixJobs.Count == 0)
        {
            yield return "no job has a matrix over 'adapter'";
            yield break;
        }
        foreach (var (key, job) in matrixJobs)
        {
            var matrix = Scalar(Child(Child(Child(job, "strategy"), "matrix"), "adapter")) ?? "(a literal list)";
            var source = MatrixSource().Match(matrix);
            if (!source.Success)
            {
                yield return $"job '{Scalar(key)}' matrix.adapter is '{matrix}', expected ${{{{ fromJSON(needs.JOB.outputs.adapters) }}}}";
                continue;
            }
            var producer = Child(jobs, source.Groups["job"].Value);
            var producesChanged = (Child(producer, "steps") as YamlSequenceNode)?.Children
                .Any(s => (Scalar(Child(s, "run")) ?? "").Contains("--target=ChangedAdapters", StringComparison.Ordinal)) == true;
            if (!producesChanged || Scalar(Child(Child(producer, "outputs"), "adapters")) is null)
                yield return $"job '{source.Groups["job"].Value}' must run --target=ChangedAdapters and output 'adapters'";
            if (!(Scalar(Child(job, "if")) ?? "").Contains($"needs.{source.Groups["job"].Value}.outputs.adapters != '[]'", StringComparison.Ordinal))
                yield return $"job '{Scalar(key)}' must be skipped when no adapter changed";
        }
    }

    private static HashSet<string> Triggers(YamlMappingNode root)
    {
        // YAML 1.1 reads a bare `on` key as boolean true; YamlDotNet keeps the text "on"
        var on = Child(root, "on");
        return on switch
        {
            YamlScalarNode s => [s.Value!],
            YamlSequenceNode seq => [.. seq.Children.Select(Scalar).OfType<string>()],
            YamlMappingNode map => [.. map.Children.Keys.Select(Scalar).OfType<string>()],
            _ => [],
        };
    }

    private static List<string> RunsOn(YamlMappingNode job) => Child(job, "runs-on") switch
    {
        YamlScalarNode s => [s.Value!],
        YamlSequenceNode seq => [.. seq.Children.Select(Scalar).OfType<string>()],
        _ => [],
    };

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static string Describe(YamlMappingNode map) => string.Join(", ", map.Children.Select(p => $"{Scalar(p.Key)}: {Scalar(p.Value)}"));

    [GeneratedRegex(@"^\s*(?:-\s+)?uses:\s*(?<ref>[^\s#]+)[ \t]*(?<comment>#[^\n]*)?$", RegexOptions.Multiline)]
    private static partial Regex UsesLine();

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"^#\s*v\d+(\.\d+)*\s*$")]
    private static partial Regex VersionComment();

    // one command: ./build.sh, then options only (no ; & | ` $( or newline to chain another)
    [GeneratedRegex(@"^\./build\.sh --target=(?<target>[A-Za-z]+)(?: --[a-z-]+(?:=[^;&|`\n]*?)?)*$")]
    private static partial Regex BuildCall();

    [GeneratedRegex(@"^\$\{\{\s*fromJSON\(needs\.(?<job>[A-Za-z0-9_-]+)\.outputs\.adapters\)\s*\}\}$")]
    private static partial Regex MatrixSource();
}
