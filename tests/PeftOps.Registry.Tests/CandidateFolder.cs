using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.Registry.Tests;

/// <summary>
/// Writes what a RegressionGate run leaves under <c>artifacts/&lt;adapter&gt;/</c>, with the facts a test varies:
/// eval.json and gate.json are whole documents written by Contracts' writers, gate.json computed from those eval.json bytes.
/// </summary>
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

        var eval = ContractDocuments.Eval(
            Adapter,
            new BaseModelInfo(BaseModel, BaseSha),
            new Dictionary<string, string> { ["base_model"] = BaseModel, ["method.type"] = "lora", ["method.r"] = Rank, ["training.epochs"] = "8" },
            [
                new DataFileInfo(DataRole.Train, "train", "data/train.jsonl", TrainSha, 120),
                new DataFileInfo(DataRole.Suite, "intents", "data/test.jsonl", "t1", 40),
            ],
            adapterSha256: Hex(weights),
            commit: Commit);
        var evalBytes = EvaluationReportJson.SerializeToUtf8Bytes(eval);
        File.WriteAllBytes(Path.Combine(directory, "eval", "eval.json"), evalBytes);
        File.WriteAllText(Path.Combine(directory, "gate", "report.md"), Report);

        var verdict = Enum.Parse<Verdict>(Verdict, ignoreCase: true);
        var gate = ContractDocuments.Gate(eval, verdict, verdict == Contracts.Verdict.Pass ? Conclusion.Success : Conclusion.Failure, $"gate {Verdict}", Hex(evalBytes));
        GateResultJson.Write(Path.Combine(directory, "gate", "gate.json"), gate);
        return directory;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
