using System.Diagnostics;
using PeftOps.TestSupport;
using PeftOps.Training.Trainer;

namespace PeftOps.Cli.Tests;

/// <summary><c>peftops train</c> as separate processes: determinism across runs, and resume after a kill.</summary>
public sealed class TrainCommandTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task Two_processes_train_byte_identical_adapters_from_the_same_spec()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();

        var a = await PeftOpsRunner.AsProcess(NoEnvironment, "train", adapter.Directory, "--out", runs.Combine("a"));
        var b = await PeftOpsRunner.AsProcess(NoEnvironment, "train", adapter.Directory, "--out", runs.Combine("b"));

        Assert.True(a.ExitCode == 0, a.Stderr);
        Assert.True(b.ExitCode == 0, b.Stderr);
        foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors" })
            Assert.Equal(File.ReadAllBytes(runs.Combine("a", "adapter", file)), File.ReadAllBytes(runs.Combine("b", "adapter", file)));
    }

    [Fact]
    public async Task A_killed_run_resumes_from_its_checkpoint_to_the_same_adapter()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();
        var straight = await PeftOpsRunner.AsProcess(NoEnvironment, "train", adapter.Directory, "--out", runs.Combine("straight"), "--set", "training.epochs=120");
        Assert.True(straight.ExitCode == 0, straight.Stderr);

        var killed = runs.Combine("killed");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(PeftOpsRunner.CliDirectory, "peftops.dll"), "train", adapter.Directory, "--out", killed, "--set", "training.epochs=120" })
            start.ArgumentList.Add(arg);
        using (var process = Process.Start(start)!)
        {
            var state = Path.Combine(new RunFolder(killed).CheckpointDir, "state.json");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(state) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(10))
                await Task.Delay(20);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        Assert.False(File.Exists(Path.Combine(killed, "train.json")), "the run finished before it could be killed");
        Assert.False(Directory.Exists(killed), "an unfinished run must not appear at --out");
        // killed at any moment, even while a checkpoint was being replaced, the run resumes from one (not step 0)
        Assert.True(Directory.Exists(new RunFolder(killed).WorkDir));

        var resumed = await PeftOpsRunner.AsProcess(NoEnvironment, "train", adapter.Directory, "--out", killed, "--set", "training.epochs=120");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Matches(@"resuming at step [1-9]\d*", resumed.Stdout);
        Assert.Equal(File.ReadAllBytes(runs.Combine("straight", "adapter", "adapter_model.safetensors")),
            File.ReadAllBytes(Path.Combine(killed, "adapter", "adapter_model.safetensors")));
    }
}
