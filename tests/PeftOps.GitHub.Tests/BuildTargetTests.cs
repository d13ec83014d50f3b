using System.Diagnostics;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>
/// Runs the real build script (./build.sh, Cake) in a scratch git repository holding a copy of it:
/// the targets that need no peftops build (ChangedAdapters, the up-front parameter checks) and BuildCli on a small
/// stand-in for the tool's project.
/// </summary>
public sealed class BuildTargetTests : IDisposable
{
    private readonly TempDirectory _repo = new("peftops-build");

    public BuildTargetTests()
    {
        foreach (var file in new[] { "build.sh", ".config/dotnet-tools.json" }.Concat(BuildScript.Files.Select(f => $"build/{System.IO.Path.GetFileName(f)}")))
        {
            var target = _repo.Combine(file.Split('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(TestPaths.RepoRoot, file), target);
        }
        Git("init", "-q", "-b", "main");
        foreach (var adapter in new[] { "alpha", "beta", "delta" })
            Write($"adapters/{adapter}/adapter.yaml", $"name: {adapter}\n");
        Write("adapters/beta/data/train.jsonl", "{\"text\":\"hi\",\"label\":\"greet\"}\n");
        Commit("main");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Lists_the_adapters_a_branch_changes_as_a_json_array_for_the_matrix()
    {
        Git("checkout", "-q", "-b", "feature");
        Write("adapters/beta/data/train.jsonl", "{\"text\":\"hello\",\"label\":\"greet\"}\n");
        Write("adapters/gamma/adapter.yaml", "name: gamma\n");
        File.Delete(_repo.Combine("adapters", "delta", "adapter.yaml"));
        Write("README.md", "not an adapter\n");
        Commit("feature");
        var output = _repo.Combine("github_output");

        var (code, log) = await Build(new() { ["GITHUB_OUTPUT"] = output }, "--target=ChangedAdapters", "--base-ref=main");

        Assert.True(code == 0, log);
        Assert.Equal("adapters=[\"beta\",\"gamma\"]\n", await File.ReadAllTextAsync(output));
        Assert.Contains("[\"beta\",\"gamma\"]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_stops_before_any_work_and_names_what_it_misses()
    {
        var (code, log) = await Build([], "--target=RegressionGate");

        Assert.NotEqual(0, code);
        Assert.Contains("RegressionGate cannot start; missing: --adapter=NAME or --changed (which adapters to work on)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("peftops ", log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_repo.Combine("artifacts")));
    }

    [Fact]
    public async Task A_comparison_stops_before_any_work_without_an_adapter()
    {
        var (code, log) = await Build([], "--target=Compare");

        Assert.NotEqual(0, code);
        Assert.Contains("Compare cannot start; missing: --adapter=NAME or --changed (which adapters to work on)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("peftops ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_what_a_stage_change_needs_and_never_prints_the_storage_secret()
    {
        var (code, log) = await Build(new() { ["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING"] = "AccountKey=s3cr3t-value" }, "--target=StageChange", "--action=promote", "--adapter=alpha", "--registry=azure://acct/models");

        Assert.NotEqual(0, code);
        Assert.Contains("StageChange cannot start; missing: --adapter-version=X.Y.Z (to promote)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_target_named_after_its_action_is_the_stage_change_with_that_action()
    {
        var (code, log) = await Build([], "--target=Promote", "--adapter=alpha");

        Assert.NotEqual(0, code);
        Assert.Contains("Promote cannot start; missing: --adapter-version=X.Y.Z (to promote); --stage=STAGE (one of the stages in .gto, to promote)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("peftops ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifying_the_server_needs_its_address_and_never_prints_the_token()
    {
        var (code, log) = await Build(new() { ["PEFTOPS_SERVE_TOKEN"] = "s3cr3t-serve-token-value", ["PEFTOPS_SERVE_URL"] = "" }, "--target=NotifyServer");

        Assert.NotEqual(0, code);
        Assert.Contains("NotifyServer cannot start; missing: --serve-url=URL or PEFTOPS_SERVE_URL (the peftops serve to notify)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_of_a_commit_that_is_not_on_the_default_branch_stops_before_any_work()
    {
        using var origin = new TempDirectory("peftops-origin");
        GitCli.Run(origin.Path, "init", "-q", "--bare", "-b", "main");
        Git("remote", "add", "origin", origin.Path);
        Git("push", "-q", "origin", "main");
        Git("fetch", "-q", "origin");
        Git("checkout", "-q", "-b", "unmerged");
        Write("adapters/alpha/adapter.yaml", "name: alpha\ndescription: not reviewed\n");
        Commit("unmerged");

        var (code, log) = await Build([], "--target=Release", "--tag=alpha@v1.0.0", "--default-branch=main");

        Assert.NotEqual(0, code);
        Assert.Contains("Release cannot start; missing: a commit of origin/main (HEAD is not on it; versions are released only from the default branch)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("peftops ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_an_adapter_that_has_no_spec()
    {
        var (code, log) = await Build([], "--target=Train", "--adapter=alpha,missing");

        Assert.NotEqual(0, code);
        Assert.Contains("Train cannot start; missing: --adapter=missing: adapters/missing/adapter.yaml does not exist", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildCli_skips_an_output_built_from_the_same_sources_and_builds_again_when_one_changes()
    {
        Write("src/PeftOps.Cli/PeftOps.Cli.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AssemblyName>peftops</AssemblyName></PropertyGroup>
            </Project>
            """);
        Write("src/PeftOps.Cli/Program.cs", "System.Console.WriteLine(\"one\");\n");
        Commit("a tool");
        var output = _repo.Combine("src", "PeftOps.Cli", "bin", "Release", "net10.0");
        var stampFile = Path.Combine(output, "peftops.sources.sha256");

        var (code, log) = await Build([], "--target=BuildCli");
        Assert.True(code == 0, log);
        Assert.DoesNotContain("peftops is up to date", log, StringComparison.Ordinal);
        var stamp = (await File.ReadAllTextAsync(stampFile)).Trim();

        // a fresh checkout whose output CI restored by the sources' hash: no obj/, every source newer than the output
        var obj = _repo.Combine("src", "PeftOps.Cli", "obj");
        Directory.Delete(obj, recursive: true);
        File.SetLastWriteTimeUtc(_repo.Combine("src", "PeftOps.Cli", "Program.cs"), DateTime.UtcNow);
        (code, log) = await Build([], "--target=BuildCli");
        Assert.True(code == 0, log);
        Assert.Contains($"peftops is up to date: built from these sources ({stamp[..12]}), not built again.", log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(obj));

        // a source changed (committed or not: what is checked out counts) builds again, with a new stamp
        Write("src/PeftOps.Cli/Program.cs", "System.Console.WriteLine(\"two\");\n");
        (code, log) = await Build([], "--target=BuildCli");
        Assert.True(code == 0, log);
        Assert.DoesNotContain("peftops is up to date", log, StringComparison.Ordinal);
        Assert.True(Directory.Exists(obj));
        Assert.NotEqual(stamp, (await File.ReadAllTextAsync(stampFile)).Trim());
    }

    private void Write(string relative, string content)
    {
        var path = _repo.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private void Commit(string message)
    {
        Git("add", "-A");
        Git("-c", "user.name=PeftOps Tests", "-c", "user.email=tests@peftops.invalid", "commit", "-q", "-m", message);
    }

    private void Git(params string[] args) => GitCli.Run(_repo.Path, args);

    private async Task<(int Code, string Log)> Build(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = _repo.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("build.sh");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in new[] { "GITHUB_TOKEN", "GITHUB_OUTPUT", "PEFTOPS_REGISTRY", "PEFTOPS_AZURE_STORAGE_CONNECTION_STRING" })
            start.Environment.Remove(name);
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));   // a hang guard; Cake's first compile is slow on a loaded machine
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
