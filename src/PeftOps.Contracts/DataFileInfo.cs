namespace PeftOps.Contracts;

/// <summary>One data file the evaluation depended on: training data, validation data or a suite's data.</summary>
public sealed record DataFileInfo(DataRole Role, string Name, string Path, string Sha256, int Rows);
