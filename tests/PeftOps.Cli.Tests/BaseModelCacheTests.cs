using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PeftOps.Modeling.Onnx;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// The converted built-in base model in <c>$PEFTOPS_CACHE</c> is checked before each use: weights changed on a shared
/// runner, even with <c>builtin.json</c> rewritten to match, are discarded and converted again, with a warning.
/// </summary>
public sealed class BaseModelCacheTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_poisoned_cached_base_model_is_converted_again_before_use(bool manifestRewritten)
    {
        using var cache = new TempDirectory("peftops-cache");
        var environment = new Dictionary<string, string> { [MiniLmCache.CacheEnvironmentVariable] = cache.Path };
        var first = await PeftOpsRunner.AsProcess(environment, "model", "info", "builtin:all-MiniLM-L6-v2");
        var folder = MiniLmCache.FolderFor(cache.Path);
        var weights = Path.Combine(folder, "model.safetensors");
        var poisoned = File.ReadAllBytes(weights);
        poisoned[^1] ^= 0x40; // one weight nudged
        File.WriteAllBytes(weights, poisoned);
        var poisonedSha = Convert.ToHexStringLower(SHA256.HashData(poisoned));
        if (manifestRewritten)
        {
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "builtin.json")))!;
            manifest["files"]!["model.safetensors"] = poisonedSha;
            File.WriteAllText(Path.Combine(folder, "builtin.json"), manifest.ToJsonString());
        }

        var second = await PeftOpsRunner.AsProcess(environment, "model", "info", "builtin:all-MiniLM-L6-v2");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var problem = manifestRewritten
            ? $"{Path.Combine(folder, "builtin.json")}: records model.safetensors sha256 {poisonedSha}, but this build converts it to {MiniLmCache.ConvertedModelSha256}"
            : $"{weights}: sha256 {poisonedSha}, builtin.json records {MiniLmCache.ConvertedModelSha256}";
        Assert.Equal($"peftops: warning: {problem}; the cached copy is discarded and converted again\n", second.Stderr);
        Assert.Equal(MiniLmCache.ConvertedModelSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights))));
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains(MiniLmCache.ConvertedModelSha256, second.Stdout, StringComparison.Ordinal);
        Assert.Null(MiniLmCache.Verify(folder));
    }
}
