using System.Text;
using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PeftOps.Cli.Tests;

/// <summary>
/// The decoder example a reader copies, adapters/support-replies, as committed: its spec, chat data, generation suite
/// and multiple-choice suite, trained, evaluated, gated and reported by the CLI as separate processes. No decoder
/// checkpoint ships in the repository, so the test writes a tiny one (random weights, a byte-level BPE tokenizer learnt
/// on the adapter's own text, a ChatML template), points base_model at it as a user points it at a real checkpoint, and
/// overrides only what a randomly initialised model needs to learn at all: more epochs, a larger learning rate and
/// batch, no early stop on the first bump of validation loss.
/// </summary>
public sealed class SupportRepliesExampleTests(ITestOutputHelper output)
{
    private const string Adapter = "support-replies";

    /// <summary>Passes over the 576 training conversations: 540 steps of 16.</summary>
    private const int Epochs = 15;

    /// <summary>Qwen2-shaped (q/k/v biases, tied embeddings), two layers, 128 wide.</summary>
    private static readonly DecoderShape TinyDecoder = SyntheticCheckpoint.Shapes["qwen2.5-0.5b"] with
    {
        VocabSize = 1536, HiddenSize = 128, IntermediateSize = 512, Layers = 2, Heads = 4, KvHeads = 2, MaxPositions = 512,
    };

    [Fact]
    public async Task The_committed_spec_trains_on_chat_data_and_the_gate_judges_its_answers()
    {
        using var temp = new TempDirectory("peftops-support-replies");
        var repo = temp.Combine("repo");
        var adapter = Path.Combine(repo, "adapters", Adapter);
        FaultSandbox.CopyDirectory(Path.Combine(TestPaths.RepoRoot, "adapters", Adapter), adapter);
        var model = temp.Combine("tiny-decoder");
        SyntheticCheckpoint.Write(model, TinyDecoder, ScalarType.Float32, seed: 7, tokenizerCorpus: TextOf(adapter), tokenizerMerges: 4000, weightStd: 0.1);
        // pointed at a checkpoint folder as a user points it at a real one: base_model in adapter.yaml
        var spec = Path.Combine(adapter, "adapter.yaml");
        var yaml = File.ReadAllText(spec);
        Assert.Contains("base_model: /models/Qwen2.5-0.5B-Instruct\n", yaml, StringComparison.Ordinal);
        File.WriteAllText(spec, yaml.Replace("base_model: /models/Qwen2.5-0.5B-Instruct\n", $"base_model: {model}\n", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(repo, ".gitignore"), "artifacts/\n");
        GitCli.Run(temp.Path, "init", "--quiet", "-b", "main", repo);
        GitCli.Run(repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "--allow-empty", "-m", "start");
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "support-replies");

        var run = $"artifacts/{Adapter}";
        await Run(repo, 0, "train", $"adapters/{Adapter}", "--out", run,
            "--set", $"training.epochs={Epochs}", "--set", "training.batch_size=16", "--set", "training.learning_rate=2.0e-2", "--set", "training.early_stopping=null");
        await Run(repo, 0, "evaluate", $"adapters/{Adapter}", "--adapter", $"{run}/adapter", "--out", $"{run}/eval");
        // the spec's target (exact match at least 0.90) is a real model's; a two-layer random model with LoRA learns the
        // playbook wording but not yet to copy an unseen order number digit by digit, so the gate judges it and fails it (exit 1)
        var gated = await Run(repo, 1, "gate", $"adapters/{Adapter}", "--candidate", $"{run}/eval/eval.json", "--out", $"{run}/gate");
        await Run(repo, 0, "report", Adapter, "--gate-dir", $"{run}/gate");

        var gate = GateResultJson.Read(Path.Combine(repo, run, "gate", "gate.json"));
        // two rules name replies.exact_match (min and min_delta); both compare the same two figures
        var exact = gate.Rules.First(r => r.Metric == "replies.exact_match");
        Assert.True(exact.Baseline <= 0.05, $"the base model's exact match {exact.Baseline} (near 0 expected)");
        Assert.True(exact.Candidate >= 0.15, $"the adapter's exact match {exact.Candidate} (at least 0.15 expected of this tiny model)");
        Assert.Equal(Verdict.Fail, gate.Verdict);
        Assert.Equal(1, gated.ExitCode);
        var comment = File.ReadAllText(Path.Combine(repo, run, "gate", "comment.md"));
        Assert.StartsWith("<!-- peftops:report adapter=support-replies -->", comment, StringComparison.Ordinal);
        Assert.Contains("#### Multiple-choice and generation suites", comment, StringComparison.Ordinal);
        Assert.Contains("replies.exact_match", comment, StringComparison.Ordinal);
        Assert.Contains("general-knowledge.acc", comment, StringComparison.Ordinal);
    }

    /// <summary>Every string in the adapter's JSONL files (system prompts, messages, replies, questions, choices).</summary>
    private static string TextOf(string adapterDirectory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(adapterDirectory, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
                Collect(JsonDocument.Parse(line).RootElement, text);
        }
        return text.ToString();
    }

    private static void Collect(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(element.GetString()).Append('\n');
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Collect(item, text);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Collect(property.Value, text);
                break;
        }
    }

    private async Task<CliResult> Run(string repo, int expectedExit, params string[] args)
    {
        // one math thread per process: the test projects run side by side on 2 cores, where threads that spin waiting
        // for each other made a training step tens of times slower than one thread does
        var result = await PeftOpsRunner.AsProcessIn(repo, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" }, args);
        output.WriteLine($"peftops {args[0]} exited {result.ExitCode}\n{result.Stdout}");
        Assert.True(result.ExitCode == expectedExit, $"peftops {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result;
    }
}
