namespace PeftOps.Training.Comparing;

/// <param name="OutDir">DIR: receives NAME/{run,eval,gate} per variant, compare.json and compare.md.</param>
/// <param name="Device">cpu, cuda, cuda:N or auto.</param>
/// <param name="Commit">The commit eval.json's lineage records.</param>
public sealed record CompareOptions(string OutDir, string? Device = null, string? Commit = null);
