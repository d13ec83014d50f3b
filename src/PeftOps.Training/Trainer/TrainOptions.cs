namespace PeftOps.Training.Trainer;

/// <param name="OutDir">RUN_DIR: receives adapter/, metrics.jsonl, train.json and (while training) checkpoint/.</param>
/// <param name="Device">cpu, cuda, cuda:N or auto.</param>
/// <param name="AfterStep">Called after each optimizer step (and its checkpoint) with the step number.</param>
public sealed record TrainOptions(string OutDir, string? Device = null, Action<int>? AfterStep = null);
