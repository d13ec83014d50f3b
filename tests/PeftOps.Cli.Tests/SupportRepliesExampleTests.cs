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
/// checkpoint ships in the repository, so the test writes a tiny one (<see cref="CopyingDecoder"/>: a byte-level BPE
/// tokenizer learnt on the adapter's own text, a ChatML template, induction heads written in as a pretrained model has
/// them, the MLPs random), points base_model at it as a user points it at a real checkpoint, and overrides only what
/// a model that has never seen a reply needs: more epochs, a larger learning rate, no early stop.
/// </summary>
public sealed class SupportRepliesExampleTests(ITestOutputHelper output)
{
    private const string Adapter = "support-replies";

    /// <summary>Passes over the 576 training conversations: 1,080 steps of 8 (the spec's batch size).</summary>
    private const int Epochs = 15;

    [Fact]
    public async Task The_committed_spec_learns_the_replies_from_near_0_to_above_0_9_exact_match_and_the_gate_passes_it()
    {
        using var temp = new TempDirectory("peftops-support-replies");
        var repo = temp.Combine("repo");
        var adapter = Path.Combine(repo, "adapters", Adapter);
        FaultSandbox.CopyDirectory(Path.Combine(TestPaths.RepoRoot, "adapters", Adapter), adapter);
        var model = temp.Combine("tiny-decoder");
        CopyingDecoder.Write(model, TextOf(adapter), seed: 7);
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
            "--set", $"training.epochs={Epochs}", "--set", "training.learning_rate=2.0e-3", "--set", "training.early_stopping=null");
        await Run(repo, 0, "evaluate", $"adapters/{Adapter}", "--adapter", $"{run}/adapter", "--out", $"{run}/eval");
        var gated = await Run(repo, null, "gate", $"adapters/{Adapter}", "--candidate", $"{run}/eval/eval.json", "--out", $"{run}/gate");
        await Run(repo, 0, "report", Adapter, "--gate-dir", $"{run}/gate");
        var comment = File.ReadAllText(Path.Combine(repo, run, "gate", "comment.md"));
        output.WriteLine(comment);

        var gate = GateResultJson.Read(Path.Combine(repo, run, "gate", "gate.json"));
        // two rules name replies.exact_match (min and min_delta); both compare the same two figures
        var exact = gate.Rules.First(r => r.Metric == "replies.exact_match");
        Assert.True(exact.Baseline <= 0.05, $"the base model's exact match {exact.Baseline} (near 0 expected)");
        Assert.True(exact.Candidate >= 0.90, $"the adapter's exact match {exact.Candidate} (at least 0.90 expected)");
        Assert.True(gated.ExitCode == 0 && gate.Verdict == Verdict.Pass, $"gate exited {gated.ExitCode}: {gated.Stdout}");
        Assert.All(gate.Rules, r => Assert.True(r.Verdict == Verdict.Pass, $"{r.Metric} {r.Kind}: {r.Reason}"));
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

    private async Task<CliResult> Run(string repo, int? expectedExit, params string[] args)
    {
        // one math thread per process: the test projects run side by side on 2 cores, where threads that spin waiting
        // for each other made a training step tens of times slower than one thread does
        var result = await PeftOpsRunner.AsProcessIn(repo, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" }, args);
        output.WriteLine($"peftops {args[0]} exited {result.ExitCode}\n{result.Stdout}");
        Assert.True(expectedExit is null || result.ExitCode == expectedExit, $"peftops {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result;
    }
}
