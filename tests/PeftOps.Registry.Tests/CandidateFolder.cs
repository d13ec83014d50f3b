using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry.Tests;

/// <summary>Writes what a RegressionGate run leaves under <c>artifacts/&lt;adapter&gt;/</c>, with the facts a test varies.</summary>
public sealed record CandidateFolder(
    string Adapter = "support-intents",
    string Verdict = "pass",
    string BaseModel = "builtin:all-MiniLM-L6-v2",
    string BaseSha = "b1",
    string Rank = "8",
    string TrainSha = "d1",
    string Report = "# support-intents\n\nverdict: pass\n",
    string? Commit = null,
    byte Weights = 7)
{
    public string WriteTo(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "adapter"));
        Directory.CreateDirectory(Path.Combine(directory, "eval"));
        Directory.CreateDirectory(Path.Combine(directory, "gate"));
        File.WriteAllText(Path.Combine(directory, "adapter", "adapter_config.json"),
            $$"""{"peft_type": "LORA", "r": {{Rank}}, "lora_alpha": 16, "target_modules": ["query", "value"]}""");
        var weights = Enumerable.Repeat(Weights, 4096).ToArray();
        File.WriteAllBytes(Path.Combine(directory, "adapter", "adapter_model.safetensors"), weights);
        var eval = new Dictionary<string, object?>
        {
            ["adapter"] = Adapter,
            ["adapter_sha256"] = Hex(weights),
            ["base_model"] = new { @ref = BaseModel, sha256 = BaseSha },
            ["spec_sha256"] = $"spec-{BaseModel}-{Rank}",
            ["spec"] = new Dictionary<string, string> { ["base_model"] = BaseModel, ["method.type"] = "lora", ["method.r"] = Rank, ["training.epochs"] = "8" },
            ["data"] = new[]
            {
                new { role = "train", name = "train", path = "data/train.jsonl", sha256 = TrainSha, rows = 120 },
                new { role = "target", name = "intents", path = "data/test.jsonl", sha256 = "t1", rows = 40 },
            },
            ["environment"] = new { peftops = "0.1.0", torchsharp = "0.107.0", libtorch = "2.10.0", device = "cpu", os = "linux" },
            ["lineage"] = new { commit = Commit, parent_version = (string?)null },
        };
        var evalBytes = JsonSerializer.SerializeToUtf8Bytes(eval);
        File.WriteAllBytes(Path.Combine(directory, "eval", "eval.json"), evalBytes);
        File.WriteAllText(Path.Combine(directory, "gate", "report.md"), Report);
        var gate = new Dictionary<string, object>
        {
            ["verdict"] = Verdict,
            ["conclusion"] = Verdict == "pass" ? "success" : "failure",
            ["headline"] = $"gate {Verdict}",
            ["lineage"] = new { adapter_sha256 = Hex(weights) },
            ["inputs"] = new { candidate_eval_sha256 = Hex(evalBytes) },
        };
        File.WriteAllText(Path.Combine(directory, "gate", "gate.json"), JsonSerializer.Serialize(gate));
        return directory;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
