namespace PeftOps.Training.Trainer;

/// <param name="OutDir">RUN_DIR: receives adapter/, metrics.jsonl, train.json and (while training) checkpoint/.</param>
/// <param name="Device">cpu, cuda, cuda:N or auto.</param>
/// <param name="Interactive">Draw a live progress bar (else log a line per epoch).</param>
public sealed record TrainOptions(string OutDir, string? Device = null, bool Interactive = false);
