using System.Security.Cryptography;

namespace PeftOps.Cli.Tests;

/// <summary>
/// <c>registry verify</c> follows a version's lineage back to its sources: the commit, the spec and every data file at
/// that commit, and the base model's weights, each check one line.
/// </summary>
public sealed class RegistryVerifyTests(TrainedRepository trained) : IClassFixture<TrainedRepository>
{
    private static readonly string[] Release =
        ["registry", "release", "tiny", "--version", "1.0.0", "--from", "artifacts/tiny", "--retrained", "--force", "--reason", "verify drill", "--approved-by", "tester"];

    [Fact]
    public async Task Verify_recomputes_every_hash_back_to_the_commit_the_data_and_the_base_model()
    {
        using var sandbox = new FaultSandbox(trained);
        Assert.Equal(0, (await sandbox.Peftops(null, Release)).ExitCode);
        var commit = sandbox.Git("rev-parse", "HEAD").Trim();
        var yaml = File.ReadAllText(Path.Combine(sandbox.Repository, "adapters", "tiny", "adapter.yaml"));
        var model = yaml.Split('\n').Single(l => l.StartsWith("base_model: ", StringComparison.Ordinal))["base_model: ".Length..].Trim();

        var result = await sandbox.Peftops(null, "registry", "verify", "tiny", "--version", "1.0.0");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["adapter_config.json", "adapter_model.safetensors", "eval.json", "report.md"], lines[..4].Select(l => l[6..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal($"ok    commit: {commit} is in this clone", lines[4]);
        Assert.True(lines[5].StartsWith($"ok    spec: adapters/tiny/adapter.yaml at {commit[..12]}: sha256 ", StringComparison.Ordinal), lines[5]);
        Assert.Equal($"ok    data train: adapters/tiny/data/train.jsonl at {commit[..12]}: sha256 {Sha(sandbox, "adapters/tiny/data/train.jsonl")}", lines[6]);
        Assert.Equal($"ok    data validation: adapters/tiny/data/validation.jsonl at {commit[..12]}: sha256 {Sha(sandbox, "adapters/tiny/data/validation.jsonl")}", lines[7]);
        Assert.Equal($"ok    data colours: adapters/tiny/data/test.jsonl at {commit[..12]}: sha256 {Sha(sandbox, "adapters/tiny/data/test.jsonl")}", lines[8]);
        Assert.Equal($"ok    base model {model}: weights sha256 {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(model, "model.safetensors"))))}", lines[9]);
        Assert.Equal("tiny@v1.0.0: 5 files verified; lineage: 6 ok", lines[10]);
    }

    [Fact]
    public async Task Data_evaluated_with_changes_that_were_never_committed_fails_verification()
    {
        using var sandbox = new FaultSandbox(trained);
        var test = Path.Combine(sandbox.Repository, "adapters", "tiny", "data", "test.jsonl");
        File.AppendAllText(test, "{\"text\": \"red fire\", \"label\": \"red\"}\n"); // evaluated, never committed
        var edited = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(test)));
        Assert.Equal(0, (await sandbox.Run(null, "evaluate", "adapters/tiny", "--adapter", "artifacts/tiny/adapter", "--out", "artifacts/tiny/eval")).ExitCode);
        Assert.True((await sandbox.Run(null, "gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--out", "artifacts/tiny/gate")).ExitCode is 0 or 1 or 3);
        Assert.Equal(0, (await sandbox.Peftops(null, Release)).ExitCode);
        var commit = sandbox.Git("rev-parse", "HEAD").Trim();

        var result = await sandbox.Peftops(null, "registry", "verify", "tiny", "--version", "1.0.0");

        Assert.True(result.ExitCode == 1, result.Stdout + result.Stderr);
        var failure = $"adapters/tiny/data/test.jsonl at {commit[..12]} has sha256 {Sha(sandbox, "adapters/tiny/data/test.jsonl")}, the lineage records {edited}";
        Assert.Contains($"FAIL  data colours: {failure}\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("tiny@v1.0.0: 5 files verified; lineage: 5 ok, 1 failed\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal($"peftops: verification failed: data colours: {failure}\n", result.Stderr);
    }

    private static string Sha(FaultSandbox sandbox, string path) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sandbox.Git("show", $"HEAD:{path}"))));
}
