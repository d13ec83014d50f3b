using PeftOps.Contracts;

namespace PeftOps.Configuration;

public sealed record EvaluationSpec
{
    public IReadOnlyList<SuiteSpec> Target { get; init; } = [];
    public IReadOnlyList<SuiteSpec> NonTarget { get; init; } = [];
}

/// <param name="Threshold">out-of-scope only: a fixed confidence threshold instead of calibrating one.</param>
/// <param name="Quantile">out-of-scope only: the share of validation examples the calibrated threshold may reject (default 0.05).</param>
/// <param name="MaxNewTokens">generation only: tokens generated per answer at most (greedy decoding).</param>
/// <param name="Stop">generation only: an answer ends before the first of these strings.</param>
public sealed record SuiteSpec
{
    public required string Name { get; init; }
    public SuiteKind Kind { get; init; } = SuiteKind.Classification;
    public required string Data { get; init; }
    public double? Threshold { get; init; }
    public double Quantile { get; init; } = 0.05;
    public int MaxNewTokens { get; init; } = 128;
    public IReadOnlyList<string> Stop { get; init; } = [];
}
