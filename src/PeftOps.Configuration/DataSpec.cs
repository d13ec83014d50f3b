namespace PeftOps.Configuration;

/// <param name="Train">Training data (JSONL or CSV with text,label; JSONL prompt,response for causal LMs).</param>
/// <param name="Validation">Validation data for early stopping and out-of-scope calibration.</param>
public sealed record DataSpec
{
    public required string Train { get; init; }
    public string? Validation { get; init; }
}
