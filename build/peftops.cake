// What build.cake's targets share: running the built peftops tool, asking it where an adapter's files go
// (`peftops paths ADAPTER`, owned by PeftOps.Contracts' RunLayout), one parser for release tags, the adapters a
// branch changes, the requirements each target declares beside itself, and the main job's per-phase timing.

using System.Diagnostics;
using System.Text.Json;

// ---- requirements: each target declares what it needs right above itself; Setup checks those of the targets that run ----
var requirements = new List<(string Target, Func<IEnumerable<string>> Missing)>();

// Declares what <paramref name="target"/> needs: each check names what is missing, or nothing.
void Requires(string target, params Func<IEnumerable<string>>[] checks) =>
    requirements.AddRange(checks.Select(check => (target, check)));

// A requirement that holds when ok, else names what is missing (the text made when checked, after the parameters are read).
Func<IEnumerable<string>> Need(Func<bool> ok, Func<string> missing) => () => ok() ? Array.Empty<string>() : new[] { missing() };

// Every missing value of the targets in this run, each named once, in the order the targets declared them.
IReadOnlyList<string> MissingFor(IReadOnlySet<string> running) =>
    requirements.Where(r => running.Contains(r.Target)).SelectMany(r => r.Missing()).Distinct().ToList();

// ---- release tags: NAME@vX.Y.Z ----

// Splits a release tag at its last "@v": what a valid name and version are is peftops' to say (exit 2), not the build's.
(string Adapter, string Version)? SplitTag(string tag)
{
    var at = tag.LastIndexOf("@v", StringComparison.Ordinal);
    return at > 0 ? (tag[..at], tag[(at + 2)..]) : null;
}

// ---- the peftops tool ----

// Runs the built peftops tool from the repository root and returns its exit code.
int Peftops(params string[] args) => PeftopsWith(new Dictionary<string, string>(), args);

int PeftopsWith(IDictionary<string, string> environment, params string[] args)
{
    Information($"peftops {string.Join(" ", args)}");
    return StartProcess("dotnet", new ProcessSettings { Arguments = PeftopsArguments(args), WorkingDirectory = repoRoot, EnvironmentVariables = environment });
}

ProcessArgumentBuilder PeftopsArguments(string[] args)
{
    if (!FileExists(cliDll))
        throw new Exception($"{cliDll} is missing: the BuildCli target builds it");
    var builder = new ProcessArgumentBuilder().AppendQuoted(cliDll);
    foreach (var arg in args)
        builder.AppendQuoted(arg);
    return builder;
}

void Expect(int expected, int actual, string what)
{
    if (actual != expected)
        throw new Exception($"peftops {what} exited {actual}");
}

// Where the pipeline puts one adapter's files (run, eval_json, gate, data_checks, ...: `peftops paths ADAPTER`), asked once per adapter.
var layouts = new Dictionary<string, IReadOnlyDictionary<string, string>>();
string PathOf(string adapter, string key)
{
    if (!layouts.TryGetValue(adapter, out var layout))
    {
        var code = StartProcess("dotnet", new ProcessSettings { Arguments = PeftopsArguments(new[] { "paths", adapter }), WorkingDirectory = repoRoot, RedirectStandardOutput = true }, out var lines);
        if (code != 0)
            throw new Exception($"peftops paths {adapter} exited {code}");
        layouts[adapter] = layout = JsonSerializer.Deserialize<Dictionary<string, string>>(string.Join("\n", lines));
    }
    return layout.TryGetValue(key, out var path) ? path : throw new Exception($"peftops paths {adapter} names no '{key}' (it names {string.Join(", ", layout.Keys)})");
}

// Empties a folder of the repository (relative path) if it exists.
void Remove(string relative)
{
    if (DirectoryExists($"{repoRoot}/{relative}"))
        DeleteDirectory($"{repoRoot}/{relative}", new DeleteDirectorySettings { Recursive = true, Force = true });
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

// ---- other tools ----

void Run(string tool, string arguments)
{
    var code = StartProcess(tool, new ProcessSettings { Arguments = arguments, WorkingDirectory = repoRoot });
    if (code != 0)
        throw new Exception($"{tool} {arguments} exited {code}");
}

bool ToolOnPath(string tool) =>
    (EnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
        .Any(dir => System.IO.File.Exists(System.IO.Path.Combine(dir, tool)));

// Appends name=value to the step's outputs when run in GitHub Actions.
void StepOutput(string name, string value)
{
    var output = EnvironmentVariable("GITHUB_OUTPUT");
    if (!string.IsNullOrEmpty(output))
        System.IO.File.AppendAllText(output, $"{name}={value}\n");
}

// `git diff --name-only BASE...HEAD -- adapters/`: the adapters whose folder changed and still exists.
List<string> ChangedAdapters(string baseRef)
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

// ---- where the main job's time goes ----
// the main job's phases in the order they run; RegressionGate prints each, a phase that did no work as 0.0
var phaseSeconds = new[] { "build CLI", "data check", "train", "evaluate", "gate", "report" }.Select(p => (Phase: p, Seconds: 0.0)).ToList();

// Runs one phase of the main job and adds its wall-clock seconds to that phase's total (all adapters together).
T Timed<T>(string phase, Func<T> work)
{
    var watch = Stopwatch.StartNew();
    try
    {
        return work();
    }
    finally
    {
        var index = phaseSeconds.FindIndex(p => p.Phase == phase);
        phaseSeconds[index] = (phase, phaseSeconds[index].Seconds + watch.Elapsed.TotalSeconds);
    }
}

void Timed(string phase, Action work) => Timed(phase, () => { work(); return 0; });

// The seconds each phase took, in the order they ran, and their sum.
void PrintPhases()
{
    Information("Where the time went (seconds):");
    foreach (var (phase, seconds) in phaseSeconds)
        Information($"  {phase,-12} {seconds,8:F1}");
    Information($"  {"total",-12} {phaseSeconds.Sum(p => p.Seconds),8:F1}");
}
