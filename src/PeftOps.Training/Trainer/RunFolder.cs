using System.Text.Json;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Training.Trainer;

/// <summary>
/// RUN_DIR's files. While training: <c>checkpoint/</c> (trainable tensors, optimizer state, state.json, the best
/// weights so far), replaced atomically, and <c>metrics.jsonl</c>. At the end: <c>adapter/</c> in PEFT's format,
/// <c>train.json</c>; the checkpoint is removed.
/// </summary>
public sealed class RunFolder(string root)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
    private static readonly JsonSerializerOptions Line = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string Root { get; } = Path.GetFullPath(root);
    public string CheckpointDir => Path.Combine(Root, "checkpoint");
    public string MetricsPath => Path.Combine(Root, "metrics.jsonl");
    public string AdapterDir => Path.Combine(Root, "adapter");

    public sealed record Checkpoint(TrainingState State, string Folder);

    /// <summary>The checkpoint of an interrupted run of the same spec, if any; otherwise a clean start.</summary>
    public Checkpoint? LoadCheckpoint(string specHash)
    {
        // Killed between removing the old checkpoint and moving the new one in: the new one is complete
        // once spec.sha256, written last, is there.
        var pending = CheckpointDir + ".tmp";
        if (!Directory.Exists(CheckpointDir) && File.Exists(Path.Combine(pending, "spec.sha256")))
            Directory.Move(pending, CheckpointDir);
        var statePath = Path.Combine(CheckpointDir, "state.json");
        if (File.Exists(statePath) && File.Exists(Path.Combine(CheckpointDir, "spec.sha256"))
            && File.ReadAllText(Path.Combine(CheckpointDir, "spec.sha256")).Trim() == specHash)
        {
            var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), Json)!;
            KeepMetricsUpTo(state.Step);
            return new Checkpoint(state, CheckpointDir);
        }
        if (Directory.Exists(CheckpointDir))
            Directory.Delete(CheckpointDir, recursive: true);
        Directory.CreateDirectory(Root);
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
        var temp = CheckpointDir + ".tmp";
        if (Directory.Exists(temp))
            Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        Save(parameters, Path.Combine(temp, "trainable.safetensors"));
        optimizer.save_state_dict(Path.Combine(temp, "optimizer.bin"));
        var best = Path.Combine(CheckpointDir, "best.safetensors");
        if (File.Exists(best))
            File.Copy(best, Path.Combine(temp, "best.safetensors"));
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
        File.WriteAllText(Path.Combine(temp, "spec.sha256"), specHash);
        if (Directory.Exists(CheckpointDir))
            Directory.Delete(CheckpointDir, recursive: true);
        Directory.Move(temp, CheckpointDir);
    }

    public void SaveBest(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        Directory.CreateDirectory(CheckpointDir);
        Save(parameters, Path.Combine(CheckpointDir, "best.safetensors"));
    }

    public void RestoreBest(IReadOnlyList<(string Name, Parameter Parameter)> parameters) =>
        CopyInto(parameters, Path.Combine(CheckpointDir, "best.safetensors"));

    public void AppendMetrics(object entry) => File.AppendAllText(MetricsPath, JsonSerializer.Serialize(entry, Line) + "\n");

    /// <summary>Writes adapter/ (PEFT format, labels in the safetensors metadata) atomically; returns its weights' size.</summary>
    public long SaveAdapter(PeftModel peft, IReadOnlyList<string> labels)
    {
        var temp = AdapterDir + ".tmp";
        if (Directory.Exists(temp))
            Directory.Delete(temp, recursive: true);
        peft.SaveAdapter(temp, TrainRecipe.AdapterName, AdapterLabels.Metadata(labels));
        if (Directory.Exists(AdapterDir))
            Directory.Delete(AdapterDir, recursive: true);
        Directory.Move(temp, AdapterDir);
        return new FileInfo(Path.Combine(AdapterDir, PeftFormat.WeightsFileName)).Length;
    }

    public void Finish(TrainSummary summary, IReadOnlyList<Evaluation.CurvePoint> curve)
    {
        var temp = Path.Combine(Root, "train.json.tmp");
        File.WriteAllText(temp, JsonSerializer.Serialize(new TrainJson(summary, curve), Json));
        File.Move(temp, Path.Combine(Root, "train.json"), overwrite: true);
        if (Directory.Exists(CheckpointDir))
            Directory.Delete(CheckpointDir, recursive: true);
    }

    /// <summary>Reads a train.json written by <see cref="Finish"/>.</summary>
    public static TrainJson ReadTrainJson(string path) => JsonSerializer.Deserialize<TrainJson>(File.ReadAllText(path), Json)!;

    public sealed record TrainJson(TrainSummary Summary, IReadOnlyList<Evaluation.CurvePoint> Curve);

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
