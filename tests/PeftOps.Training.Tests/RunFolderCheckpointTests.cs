using PeftOps.TestSupport;
using PeftOps.Training.Trainer;

namespace PeftOps.Training.Tests;

/// <summary>
/// A checkpoint is replaced by two renames (the old one aside, the new one in), so a run killed at any moment of the
/// replacement resumes from one whole checkpoint: each case below is the folder such a kill leaves.
/// </summary>
public sealed class RunFolderCheckpointTests
{
    private const string Spec = "spec-sha";

    [Fact]
    public void Killed_between_the_two_renames_it_resumes_from_the_new_checkpoint()
    {
        using var temp = new TempDirectory();
        var run = new RunFolder(temp.Combine("run"));
        WriteCheckpoint(run.CheckpointDir + ".old", step: 4);
        WriteCheckpoint(run.CheckpointDir + ".tmp", step: 6);

        var resumed = run.LoadCheckpoint(Spec);

        Assert.Equal(6, resumed?.State.Step);
        Assert.False(Directory.Exists(run.CheckpointDir + ".old"));
    }

    [Fact]
    public void Killed_after_moving_the_old_one_aside_before_the_new_one_was_whole_it_resumes_from_the_old_one()
    {
        using var temp = new TempDirectory();
        var run = new RunFolder(temp.Combine("run"));
        WriteCheckpoint(run.CheckpointDir + ".old", step: 4);
        Directory.CreateDirectory(run.CheckpointDir + ".tmp");
        File.WriteAllText(Path.Combine(run.CheckpointDir + ".tmp", "state.json"), "{\"step\": 6}"); // spec.sha256, written last, missing

        Assert.Equal(4, run.LoadCheckpoint(Spec)?.State.Step);
    }

    [Fact]
    public void Killed_while_deleting_the_old_one_it_resumes_from_the_new_one_and_the_rest_of_the_old_goes()
    {
        using var temp = new TempDirectory();
        var run = new RunFolder(temp.Combine("run"));
        WriteCheckpoint(run.CheckpointDir, step: 6);
        Directory.CreateDirectory(run.CheckpointDir + ".old");
        File.WriteAllText(Path.Combine(run.CheckpointDir + ".old", "optimizer.bin"), "half deleted");

        Assert.Equal(6, run.LoadCheckpoint(Spec)?.State.Step);
        Assert.False(Directory.Exists(run.CheckpointDir + ".old"));
    }

    private static void WriteCheckpoint(string folder, int step)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "state.json"), $"{{\"step\": {step}, \"epoch\": 1, \"batch_in_epoch\": 0}}");
        File.WriteAllText(Path.Combine(folder, "spec.sha256"), Spec);
    }
}
