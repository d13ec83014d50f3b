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

        await Run("train", "adapters/tiny", "--out", "artifacts/tiny", "--set", "training.epochs=25", "--set", "training.learning_rate=3.0e-2",
            "--set", "method.modules_to_save=[classifier, pooler.dense]");
        await Run("evaluate", "adapters/tiny", "--adapter", "artifacts/tiny/adapter", "--out", "artifacts/tiny/eval");
        await Run("gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--out", "artifacts/tiny/gate");
        await Run("registry", "release", "tiny", "--version", "1.0.0", "--from", "artifacts/tiny", "--retrained");
        await Run("registry", "promote", "tiny", "--version", "1.0.0", "--stage", "production");
        await Run("registry", "pull", "tiny", "--stage", "production", "--out", "pulled");
        var shown = await Run("registry", "show", "tiny");
        var gated = await Run("gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--baseline", "pulled/eval.json", "--out", "artifacts/tiny/gate2");

        Assert.Equal(File.ReadAllBytes(Path.Combine(repo, "artifacts", "tiny", "adapter", "adapter_model.safetensors")),
            File.ReadAllBytes(Path.Combine(repo, "pulled", "adapter_model.safetensors")));
        Assert.Contains("tiny@v1.0.0", Git(Path.Combine(temp.Path, "remote.git"), "tag", "--list"), StringComparison.Ordinal);
        Assert.Contains("tiny#production#1", Git(Path.Combine(temp.Path, "remote.git"), "tag", "--list"), StringComparison.Ordinal);
        Assert.Contains("production", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("v1.0.0", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("passes", gated.Stdout, StringComparison.Ordinal);
        Assert.Contains("production", File.ReadAllText(Path.Combine(repo, "artifacts", "tiny", "gate2", "report.md")), StringComparison.Ordinal);
    }

    private static string Git(string directory, params string[] arguments) => GitCli.Run(directory, arguments);

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
