using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PeftOps.TestSupport;
using PeftOps.Training.Trainer;

namespace PeftOps.Cli.Tests;

/// <summary>
/// SIGINT and SIGTERM, sent to the real peftops process while it is in its long loop, stop it within 10 s with exit
/// 130 and one line; a second signal while it stops changes nothing and throws nothing (issue 24: train ran on for
/// 40 s after SIGINT, bench threw from System.CommandLine's handler on a second SIGTERM); a cancelled train resumes.
/// </summary>
public sealed partial class SignalTests
{
    /// <summary>
    /// CPU time after which a command on these tiny models is demonstrably past start-up and loading, in its loop:
    /// a whole one-step bench (start-up, loading MiniLM, the parity check, one step) took 4.1 s of CPU here.
    /// </summary>
    private static readonly TimeSpan InTheLoop = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Train_cancelled_as_GitHub_cancels_SIGINT_then_SIGTERM_keeps_its_checkpoint_and_the_same_command_resumes_to_the_same_adapter()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();
        string[] Train(string run) => ["train", adapter.Directory, "--out", run, "--set", "training.epochs=40"];
        var straight = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), Train(runs.Combine("straight")));
        Assert.True(straight.ExitCode == 0, straight.Stderr);

        var cancelled = runs.Combine("cancelled");
        var state = Path.Combine(new RunFolder(cancelled).CheckpointDir, "state.json");
        await using (var process = SignalledProcess.Start(null, Train(cancelled)))
        {
            await process.UntilAsync(_ => File.Exists(state), "training (its first checkpoint)");
            await process.SignalAsync("INT", "TERM");
            var line = await process.AssertCancelledAsync("INT", "TERM");

            var stopped = StoppedAfter().Match(line);
            Assert.True(stopped.Success, line);
            var step = int.Parse(stopped.Groups["step"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.EndsWith("; run the same command again to resume", line, StringComparison.Ordinal);
            Assert.True(step is > 0 and < 240, line);
            using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(state));
            Assert.Equal(step, saved.RootElement.GetProperty("step").GetInt32());
        }
        Assert.False(Directory.Exists(cancelled), "a cancelled run must not appear at --out");

        var resumed = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), Train(cancelled));

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Matches(@"resuming at step [1-9]\d*", resumed.Stdout);
        using var train = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(cancelled, "train.json")));
        Assert.True(train.RootElement.GetProperty("summary").GetProperty("resumed").GetBoolean());
        Assert.Equal(File.ReadAllBytes(runs.Combine("straight", "adapter", "adapter_model.safetensors")),
            File.ReadAllBytes(Path.Combine(cancelled, "adapter", "adapter_model.safetensors")));
    }

    [Fact]
    public async Task Evaluate_stopped_by_SIGTERM_inside_a_suite_exits_130_within_10_s_and_writes_no_eval_json()
    {
        using var adapter = new TinyAdapter();
        using var temp = new TempDirectory();
        var trained = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), "train", adapter.Directory, "--out", temp.Combine("run"), "--set", "training.epochs=1");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        // an extra suite that takes minutes on this model: 200,000 distinct texts (evaluate runs each text once), base and adapted
        var rows = File.ReadAllLines(adapter.Combine("data", "test.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        await File.WriteAllLinesAsync(temp.Combine("big.jsonl"), Enumerable.Range(0, 200_000).Select(i =>
        {
            var row = rows[i % rows.Length].DeepClone().AsObject();
            row["text"] = $"{row["text"]} {i}";
            return row.ToJsonString();
        }));

        await using var process = SignalledProcess.Start(null,
            "evaluate", adapter.Directory, "--adapter", temp.Combine("run", "adapter"), "--out", temp.Combine("eval"), "--suite", $"big={temp.Combine("big.jsonl")}");
        await process.UntilAsync(p => p.CpuTime > InTheLoop, "evaluating");
        await process.SignalAsync("TERM");

        await process.AssertCancelledAsync("TERM");
        Assert.False(File.Exists(temp.Combine("eval", "eval.json")));
    }

    [Fact]
    public async Task Generate_stopped_by_SIGINT_between_tokens_exits_130_within_10_s_and_writes_nothing()
    {
        using var temp = new TempDirectory();
        var prompt = JsonSerializer.Serialize(new { input_ids = new[] { 1, 17, 42, 99, 7, 230, 11, 5 } });
        await File.WriteAllLinesAsync(temp.Combine("input.jsonl"), Enumerable.Repeat(prompt, 4_000));
        var fixtures = TestPaths.HfPeftDecoderFixtures;

        await using var process = SignalledProcess.Start(null,
            "generate", "--base", Path.Combine(fixtures, "tiny-qwen2"), "--adapter", Path.Combine(fixtures, "qwen2-lora"),
            "--input", temp.Combine("input.jsonl"), "--out", temp.Combine("out.jsonl"), "--max-new-tokens", "100");
        await process.UntilAsync(p => p.CpuTime > InTheLoop, "generating");
        await process.SignalAsync("INT");

        await process.AssertCancelledAsync("INT");
        Assert.False(File.Exists(temp.Combine("out.jsonl")));
        Assert.Empty(Directory.EnumerateFiles(temp.Path, "out.jsonl*"));
    }

    [Fact]
    public async Task Bench_answers_two_SIGTERMs_with_one_line_and_no_exception()
    {
        await using var process = SignalledProcess.Start(null, "bench", "--shapes", "4x8", "--steps", "1000000", "--warmup", "0", "--examples", "0", "--scaling", "false");
        await process.UntilAsync(p => p.Stdout.Contains("training step", StringComparison.Ordinal) && p.CpuTime > InTheLoop, "timing steps");
        await process.SignalAsync("TERM", "TERM");

        await process.AssertCancelledAsync("TERM");
    }

    [Fact]
    public async Task A_registry_command_waiting_on_a_store_that_never_answers_stops_on_SIGINT()
    {
        using var adapter = new TinyAdapter();
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        FaultSandbox.CopyDirectory(adapter.Directory, Path.Combine(repo, "adapters", "tiny"));
        File.WriteAllText(Path.Combine(repo, ".gto"), "stages: [staging, production]\n");
        GitCli.Run(temp.Path, "init", "--quiet", "-b", "main", repo);
        GitCli.Run(repo, "config", "user.name", "Release Manager");
        GitCli.Run(repo, "config", "user.email", "rm@example.com");
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "commit", "--quiet", "-m", "tiny adapter");
        // Blob Storage that takes the connection and never answers: the Azure SDK call waits (100 s a try, then retries)
        using var store = new TcpListener(IPAddress.Loopback, 0);
        store.Start();
        var held = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
                held.Enqueue(await store.AcceptSocketAsync());
        });
        var port = ((IPEndPoint)store.LocalEndpoint).Port;
        var environment = new Dictionary<string, string>
        {
            ["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING"] =
                $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
        };

        await using var process = SignalledProcess.Start(repo, environment,
            "registry", "candidate", "fetch", "adapters/tiny", "--out", temp.Combine("fetched"), "--registry", "azure://devstoreaccount1/candidates");
        await process.UntilAsync(_ => !held.IsEmpty, "asking the store");
        await process.SignalAsync("INT");

        await process.AssertCancelledAsync("INT");
        Assert.False(Directory.Exists(temp.Combine("fetched")) && Directory.EnumerateFileSystemEntries(temp.Combine("fetched")).Any());
        foreach (var socket in held)
            socket.Dispose();
    }

    [GeneratedRegex(@"^peftops: cancelled \(SIG(INT|TERM)\): training stopped after step (?<step>\d+) of 240, checkpoint kept in \S+checkpoint;")]
    private static partial Regex StoppedAfter();
}
