namespace PeftOps.Cli.Tests;

/// <summary><c>train --out RUN_DIR</c>: a run folder is written as a whole or not at all, and only a run folder is ever replaced.</summary>
[Collection(CliCollection.Name)]
public sealed class RunFolderTests : IDisposable
{
    private readonly BadInputRun run = new();

    public void Dispose() => run.Dispose();

    [Fact]
    public async Task An_out_path_naming_an_existing_file_is_refused()
    {
        var file = Path.Combine(run.Runs, "run.txt");
        File.WriteAllText(file, "mine");

        var result = await PeftOpsRunner.InProcess("train", run.Directory, "--out", file);

        BadInputRun.AssertBadInput($"peftops: --out {file}: is a file (expected a run folder to create, or an earlier run's to replace)\n", result);
        Assert.Equal("mine", File.ReadAllText(file));
        Assert.Equal([file], Directory.EnumerateFileSystemEntries(run.Runs));
    }

    [Fact]
    public async Task An_out_folder_that_is_not_a_run_is_never_replaced()
    {
        var result = await PeftOpsRunner.InProcess("train", run.Directory, "--out", run.Directory);

        BadInputRun.AssertBadInput($"peftops: --out {run.Directory}: is a folder that peftops train did not write (no train.json), " +
            "and a run replaces its folder as a whole (expected a new folder or an earlier run's)\n", result);
        Assert.True(File.Exists(run.Spec));
        Assert.False(Directory.Exists(run.Directory + ".partial"));
    }

    [Fact]
    public async Task Training_into_an_earlier_run_replaces_it_whole_with_no_stale_eval_or_gate_beside_it()
    {
        var first = await run.TrainAsProcess();
        Assert.True(first.ExitCode == 0, first.Stderr);
        Directory.CreateDirectory(Path.Combine(run.Run, "eval"));
        File.WriteAllText(Path.Combine(run.Run, "eval", "eval.json"), "{}");
        Directory.CreateDirectory(Path.Combine(run.Run, "gate"));
        File.WriteAllText(Path.Combine(run.Run, "gate", "report.md"), "stale");
        var firstWeights = File.ReadAllBytes(Path.Combine(run.Run, "adapter", "adapter_model.safetensors"));

        var again = await run.TrainAsProcess("--set", "training.seed=8");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(["adapter", "metrics.jsonl", "train.json"], Directory.EnumerateFileSystemEntries(run.Run).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.NotEqual(firstWeights, File.ReadAllBytes(Path.Combine(run.Run, "adapter", "adapter_model.safetensors")));
        Assert.Equal([run.Run], Directory.EnumerateFileSystemEntries(run.Runs));
    }
}
