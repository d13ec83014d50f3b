using PeftOps.Contracts;
using PeftOps.Inference;
using System.Text.Json;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Training.Trainer;

/// <summary>
/// RUN_DIR, written as a whole or not at all. A run is written into the sibling <c>RUN_DIR.partial/</c>: while
/// training <c>checkpoint/</c> (trainable tensors, optimizer state, state.json, the best weights so far), replaced
/// atomically, and <c>metrics.jsonl</c>; at the end <c>adapter/</c> in PEFT's format and <c>train.json</c>, the
/// checkpoint removed. Then the finished folder replaces RUN_DIR, so an earlier run's <c>eval/</c> and
/// <c>gate/</c> never sit beside a new adapter. A killed run resumes from <c>RUN_DIR.partial/checkpoint/</c>.
/// </summary>
public sealed class RunFolder
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
    private static readonly JsonSerializerOptions Line = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly string given;

    public RunFolder(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        given = root;
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <summary>RUN_DIR: absent, or a finished run.</summary>
    public string Root { get; }
    /// <summary>The run being written, beside RUN_DIR.</summary>
    public string WorkDir => Root + ".partial";
    public string CheckpointDir => Path.Combine(WorkDir, "checkpoint");
    public string MetricsPath => Path.Combine(WorkDir, "metrics.jsonl");
    public string AdapterDir => Path.Combine(WorkDir, "adapter");
    private string ReplacedDir => Root + ".replaced";
    /// <summary>The next checkpoint while it is written.</summary>
    private string PendingCheckpointDir => CheckpointDir + ".tmp";
    /// <summary>The last checkpoint while the next one takes its place.</summary>
    private string OldCheckpointDir => CheckpointDir + ".old";

    public sealed record Checkpoint(TrainingState State, string Folder);

    /// <summary>
    /// Refuses an <c>--out</c> that cannot become a run folder, before any work: an existing file, a path through
    /// a file, or a folder holding something other than an earlier run (it would be replaced as a whole).
    /// </summary>
    /// <exception cref="InputException">Naming <c>--out</c> as given.</exception>
    public void CheckTarget()
    {
        if (File.Exists(Root))
            throw new InputException($"--out {given}: is a file (expected a run folder to create, or an earlier run's to replace)");
        for (var dir = Path.GetDirectoryName(Root); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
                throw new InputException($"--out {given}: {dir} is a file (expected a folder)");
            if (Directory.Exists(dir))
                break;
        }
        if (Directory.Exists(Root) && Directory.EnumerateFileSystemEntries(Root).Any() && !File.Exists(Path.Combine(Root, TrainRun.FileName)))
            throw new InputException($"--out {given}: is a folder that peftops train did not write (no train.json), and a run replaces its folder as a whole (expected a new folder or an earlier run's)");
        if (File.Exists(WorkDir))
            throw new InputException($"--out {given}: {WorkDir} is a file (expected nothing there, or an interrupted run's folder)");
    }

    /// <summary>The checkpoint of an interrupted run of the same spec, if any; otherwise a clean start in <see cref="WorkDir"/>.</summary>
    public Checkpoint? LoadCheckpoint(string specHash)
    {
        Remove(ReplacedDir);
        // Killed while a checkpoint was being replaced (SaveCheckpoint): between moving the old one aside and the new
        // one in, the new one is complete once spec.sha256, written last, is there, else the old one stands; killed
        // while the old one was being deleted, what is left of it goes.
        if (!Directory.Exists(CheckpointDir) && File.Exists(Path.Combine(PendingCheckpointDir, "spec.sha256")))
            Directory.Move(PendingCheckpointDir, CheckpointDir);
        else if (!Directory.Exists(CheckpointDir) && Directory.Exists(OldCheckpointDir))
            Directory.Move(OldCheckpointDir, CheckpointDir);
        Remove(OldCheckpointDir);
        var statePath = Path.Combine(CheckpointDir, "state.json");
        if (File.Exists(statePath) && File.Exists(Path.Combine(CheckpointDir, "spec.sha256"))
            && File.ReadAllText(Path.Combine(CheckpointDir, "spec.sha256")).Trim() == specHash)
        {
            var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), Json)!;
            KeepMetricsUpTo(state.Step);
            return new Checkpoint(state, CheckpointDir);
        }
        Remove(WorkDir);
        Directory.CreateDirectory(WorkDir);
        File.WriteAllText(MetricsPath, "");
        return null;
    }

    public void Restore(Checkpoint checkpoint, IReadOnlyList<(string Name, Parameter Parameter)> parameters, OptimizerHelper optimizer)
    {
        CopyInto(parameters, Path.Combine(checkpoint.Folder, "trainable.safetensors"));
        optimizer.load_state_dict(Path.Combine(checkpoint.Folder, "optimizer.bin"));
    }

    public void SaveCheckpoint(string specHash, TrainingState state, IReadOnlyList<(string Name, Parameter Parameter)> parameters, OptimizerHelper optimizer)
    {
        var temp = PendingCheckpointDir;
        Remove(temp);
        Directory.CreateDirectory(temp);
        Save(parameters, Path.Combine(temp, "trainable.safetensors"));
        optimizer.save_state_dict(Path.Combine(temp, "optimizer.bin"));
        var best = Path.Combine(CheckpointDir, "best.safetensors");
        if (File.Exists(best))
            File.Copy(best, Path.Combine(temp, "best.safetensors"));
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
        File.WriteAllText(Path.Combine(temp, "spec.sha256"), specHash);
        // two renames, each atomic, so that a kill at any point leaves one whole checkpoint (LoadCheckpoint finds it);
        // deleting the old one in place could leave half of it under the checkpoint's name
        Remove(OldCheckpointDir);
        if (Directory.Exists(CheckpointDir))
            Directory.Move(CheckpointDir, OldCheckpointDir);
        Directory.Move(temp, CheckpointDir);
        Remove(OldCheckpointDir);
    }

    public void SaveBest(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        Directory.CreateDirectory(CheckpointDir);
        var best = Path.Combine(CheckpointDir, "best.safetensors");
        Save(parameters, best + ".tmp");
        File.Move(best + ".tmp", best, overwrite: true); // a rename: a kill never leaves half a file under the name
    }

    public void RestoreBest(IReadOnlyList<(string Name, Parameter Parameter)> parameters) =>
        CopyInto(parameters, Path.Combine(CheckpointDir, "best.safetensors"));

    public void AppendMetrics(object entry) => File.AppendAllText(MetricsPath, JsonSerializer.Serialize(entry, Line) + "\n");

    /// <summary>Writes adapter/ (PEFT format, labels in the safetensors metadata) atomically; returns its weights' size.</summary>
    public long SaveAdapter(PeftModel peft, IReadOnlyList<string> labels, AdapterScope? scope = null)
    {
        var temp = AdapterDir + ".tmp";
        Remove(temp);
        peft.SaveAdapter(temp, TrainRecipe.AdapterName, AdapterMetadata.Entries(labels, scope));
        Remove(AdapterDir);
        Directory.Move(temp, AdapterDir);
        return new FileInfo(Path.Combine(AdapterDir, PeftFormat.WeightsFileName)).Length;
    }

    /// <summary>Writes train.json, drops the checkpoint and puts the finished run in RUN_DIR's place.</summary>
    public void Finish(TrainSummary summary, IReadOnlyList<CurvePoint> curve)
    {
        TrainRunJson.Write(Path.Combine(WorkDir, TrainRun.FileName), new TrainRun(summary, curve));
        Remove(CheckpointDir);
        // A folder cannot be renamed over a non-empty one: move the old run aside, the new one in, then delete
        // the old. Killed in between, RUN_DIR is absent (never mixed) and the next train starts over.
        if (Directory.Exists(Root))
            Directory.Move(Root, ReplacedDir);
        Directory.Move(WorkDir, Root);
        Remove(ReplacedDir);
    }

    /// <summary>Deletes a folder and everything in it, if it is there.</summary>
    private static void Remove(string folder)
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private static void Save(IReadOnlyList<(string Name, Parameter Parameter)> parameters, string path) =>
        SafetensorsTorch.Save(path, parameters.Select(p => (p.Name, p.Parameter.detach().cpu().contiguous())));

    private static void CopyInto(IReadOnlyList<(string Name, Parameter Parameter)> parameters, string path)
    {
        var tensors = SafetensorsTorch.Load(path);
        using var _ = no_grad();
        foreach (var (name, parameter) in parameters)
            parameter.copy_(tensors[name]);
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    private void KeepMetricsUpTo(int step)
    {
        if (!File.Exists(MetricsPath))
            return;
        var kept = File.ReadAllLines(MetricsPath).Where(l => l.Length > 0 && JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32() <= step);
        File.WriteAllLines(MetricsPath, kept);
    }
}
