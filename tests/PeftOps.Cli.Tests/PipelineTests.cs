using System.Diagnostics;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// The product's journey through the command-line contract, each command its own process, in a real git
/// repository with a bare remote: train, evaluate, gate, release, promote, pull, gate against production.
/// </summary>
public sealed class PipelineTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task An_adapter_goes_from_spec_to_production_and_back_as_the_baseline()
    {
        using var adapter = new TinyAdapter();
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        CopyDirectory(adapter.Directory, Path.Combine(repo, "adapters", "tiny"));
        File.WriteAllText(Path.Combine(repo, ".gitignore"), "artifacts/\n.peftops/\npulled/\n");
        Git(temp.Path, "init", "--quiet", "--bare", "-b", "main", "remote.git");
        Git(repo, "init", "--quiet", "-b", "main");
        Git(repo, "add", "-A");
        Git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "tiny adapter");
        Git(repo, "remote", "add", "origin", Path.Combine(temp.Path, "remote.git"));
        Git(repo, "push", "--quiet", "origin", "main");
        Git(repo, "config", "user.name", "Release Manager");
        Git(repo, "config", "user.email", "rm@example.com");

        async Task<CliResult> Run(params string[] args)
        {
            var result = await PeftOpsRunner.AsProcessIn(repo, NoEnvironment, args);
            Assert.True(result.ExitCode == 0, $"peftops {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
            return result;
        }

        // the data check's default folder lies outside the run folder that train replaces, where gate looks by default
        await Run("data", "check", "adapters/tiny");
        await Run("train", "adapters/tiny", "--out", "artifacts/tiny", "--set", "training.epochs=25", "--set", "training.learning_rate=3.0e-2",
            "--set", "method.modules_to_save=[classifier, pooler.dense]");
        await Run("evaluate", "adapters/tiny", "--adapter", "artifacts/tiny/adapter", "--out", "artifacts/tiny/eval");
        await Run("gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--out", "artifacts/tiny/gate");
        var kept = await Run("registry", "candidate", "keep", "adapters/tiny", "--from", "artifacts/tiny");
        var fetched = await Run("registry", "candidate", "fetch", "adapters/tiny", "--out", "reviewed/tiny");
        await Run("registry", "release", "tiny", "--version", "1.0.0", "--from", "reviewed/tiny");
        await Run("registry", "promote", "tiny", "--version", "1.0.0", "--stage", "production");
        await Run("registry", "pull", "tiny", "--stage", "production", "--out", "pulled");
        var shown = await Run("registry", "show", "tiny");
        var gated = await Run("gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--baseline", "pulled/eval.json", "--out", "artifacts/tiny/gate2");

        Assert.StartsWith("kept tiny candidate ", kept.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("fetched tiny candidate ", fetched.Stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(repo, "artifacts", "tiny", "adapter", "adapter_model.safetensors")),
            File.ReadAllBytes(Path.Combine(repo, "pulled", "adapter_model.safetensors")));
        Assert.Contains("tiny@v1.0.0", Git(Path.Combine(temp.Path, "remote.git"), "tag", "--list"), StringComparison.Ordinal);
        Assert.Contains("tiny#production#1", Git(Path.Combine(temp.Path, "remote.git"), "tag", "--list"), StringComparison.Ordinal);
        var lineage = Git(Path.Combine(temp.Path, "remote.git"), "tag", "-l", "--format=%(contents)", "tiny@v1.0.0");
        Assert.Contains("\"origin\":{\"kind\":\"reviewed\"", lineage, StringComparison.Ordinal);
        Assert.Contains("production", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("v1.0.0", shown.Stdout, StringComparison.Ordinal);
        var gateJson = File.ReadAllText(Path.Combine(repo, "artifacts", "tiny", "gate", "gate.json"));
        Assert.Contains($"\"data_sha256\": \"{DataSha256(Path.Combine(repo, "artifacts", "data-checks", "tiny", "data.json"))}\"", gateJson, StringComparison.Ordinal);
        Assert.Contains("passes", gated.Stdout, StringComparison.Ordinal);
        // the baseline's version comes from the manifest pulled beside it: the report and gate.json name it
        Assert.Contains("against production (v1.0.0)", gated.Stdout, StringComparison.Ordinal);
        Assert.Contains("parent version: `v1.0.0`", File.ReadAllText(Path.Combine(repo, "artifacts", "tiny", "gate2", "report.md")), StringComparison.Ordinal);
        Assert.Contains("\"version\": \"v1.0.0\"", File.ReadAllText(Path.Combine(repo, "artifacts", "tiny", "gate2", "gate.json")), StringComparison.Ordinal);

        // GTO's lifecycle: the stage taken away, the version withdrawn, the adapter deprecated; each a pushed tag
        await Run("registry", "unassign", "tiny", "--stage", "production", "--reason", "incident 42");
        var empty = await PeftOpsRunner.AsProcessIn(repo, NoEnvironment, "registry", "pull", "tiny", "--stage", "production", "--out", "pulled-again");
        await Run("registry", "deregister", "tiny", "--version", "1.0.0", "--reason", "superseded");
        await Run("registry", "deprecate", "tiny", "--reason", "replaced by tiny-v2");
        var remoteTags = Git(Path.Combine(temp.Path, "remote.git"), "tag", "--list");
        Assert.Equal(4, empty.ExitCode);
        Assert.Contains("tiny#production!#2", remoteTags, StringComparison.Ordinal);
        Assert.Contains("tiny@v1.0.0!#3", remoteTags, StringComparison.Ordinal);
        Assert.Contains("tiny@deprecated#4", remoteTags, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_refuses_a_run_that_is_not_the_reviewed_candidate_or_whose_gate_json_was_edited()
    {
        using var adapter = new TinyAdapter();
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        CopyDirectory(adapter.Directory, Path.Combine(repo, "adapters", "tiny"));
        Git(temp.Path, "init", "--quiet", "-b", "main", "repo");
        Git(repo, "add", "-A");
        Git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "tiny adapter");

        async Task<CliResult> Run(params string[] args) => await PeftOpsRunner.AsProcessIn(repo, NoEnvironment, args);
        Assert.Equal(0, (await Run("train", "adapters/tiny", "--out", "artifacts/tiny", "--set", "training.epochs=2")).ExitCode);
        Assert.Equal(0, (await Run("evaluate", "adapters/tiny", "--adapter", "artifacts/tiny/adapter", "--out", "artifacts/tiny/eval")).ExitCode);
        var verdict = (await Run("gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--out", "artifacts/tiny/gate")).ExitCode;

        var unreviewed = await Run("registry", "release", "tiny", "--version", "1.0.0", "--from", "artifacts/tiny");
        var gateFile = Path.Combine(repo, "artifacts", "tiny", "gate", "gate.json");
        var edited = File.ReadAllText(gateFile).Replace("\"verdict\": \"fail\"", "\"verdict\": \"pass\"", StringComparison.Ordinal)
            .Replace("\"verdict\": \"inconclusive\"", "\"verdict\": \"pass\"", StringComparison.Ordinal)
            .Replace("\"headline\": \"", "\"headline\": \"(edited) ", StringComparison.Ordinal);
        File.WriteAllText(gateFile, edited);
        var forged = await Run("registry", "release", "tiny", "--version", "1.0.0", "--from", "artifacts/tiny", "--retrained");

        Assert.Equal(2, unreviewed.ExitCode);
        Assert.Contains("holds no candidate.json, so it is not the candidate reviewed in a pull request", unreviewed.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, forged.ExitCode);
        Assert.Contains($"{Path.Combine("artifacts", "tiny", "gate", "gate.json")}: does not follow from", forged.Stderr, StringComparison.Ordinal);
        Assert.True(verdict is 0 or 1 or 3);
        Assert.Empty(Git(repo, "tag", "--list"));
    }

    private static string Git(string directory, params string[] arguments) => GitCli.Run(directory, arguments);

    private static string DataSha256(string file) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
