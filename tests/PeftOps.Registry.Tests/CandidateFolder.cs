using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Reporting;
using PeftOps.TestSupport;

namespace PeftOps.Registry.Tests;

/// <summary>
/// Writes what a RegressionGate run leaves under <c>artifacts/&lt;adapter&gt;/</c>, with the facts a test varies:
/// eval.json is a whole document written by Contracts' writer, and gate.json is what the gate computes from those bytes
/// under <see cref="Gate"/>, a policy chosen so that the verdict is <see cref="Verdict"/>.
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

        GateResultJson.Write(Path.Combine(directory, "gate", "gate.json"), GateRunner.Compute(Gate, Adapter, Path.Combine(directory, "eval", "eval.json"), null, null));
        return directory;
    }

    /// <summary>
    /// A gate policy under which this folder's eval.json (adapted accuracy 0.75 on 4 examples, 95% interval 0.25 to 1)
    /// gets <see cref="Verdict"/>: a minimum the whole interval clears, one above it, or one it straddles (neutral).
    /// </summary>
    public GatePolicy Gate => Verdict switch
    {
        "pass" => new GatePolicy { Target = [new GateRule { Metric = "intents.accuracy", Min = 0.2 }] },
        "fail" => new GatePolicy { Target = [new GateRule { Metric = "intents.accuracy", Min = 1.01 }] },
        "inconclusive" => new GatePolicy { Target = [new GateRule { Metric = "intents.accuracy", Min = 0.5 }], OnInconclusive = OnInconclusive.Neutral },
        _ => throw new ArgumentException($"Verdict: expected pass, fail or inconclusive (was '{Verdict}')"),
    };

    /// <summary>The release policy of this folder's gate for a release asked for with <paramref name="facts"/> (default: local, nothing accepted but a pass).</summary>
    public ReleasePolicy Policy(ReleaseFacts? facts = null) =>
        new(Gate, new DataChecksSpec(), $"adapters/{Adapter}/adapter.yaml", facts ?? new ReleaseFacts(ReleaseTrigger.Local));

    /// <summary>A local release that accepts any verdict, as <c>--force --reason "accepted in a test" --approved-by tester</c>.</summary>
    public static ReleaseFacts Forced { get; } = new(ReleaseTrigger.Local, "tester", AcceptedVerdict.Any, "accepted in a test");

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
