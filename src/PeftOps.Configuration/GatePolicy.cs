using PeftOps.Contracts;

namespace PeftOps.Configuration;

public enum CompareTo
{
    /// <summary>The version in production; the base model when nothing is in production.</summary>
    Production,
    Base,
}

public sealed record GatePolicy
{
    public CompareTo CompareTo { get; init; } = CompareTo.Production;
    public double Confidence { get; init; } = 0.95;
    public int BootstrapResamples { get; init; } = 2000;
    public int Seed { get; init; } = 20240601;
    public IReadOnlyList<GateRule> Target { get; init; } = [];
    public IReadOnlyList<GateRule> NonTarget { get; init; } = [];
    public OnInconclusive OnInconclusive { get; init; } = OnInconclusive.Fail;
}

/// <summary>
/// One gate rule on a metric named <c>suite.metric</c> (for example <c>intents.accuracy</c>).
/// <see cref="Min"/>: the candidate's value must be at least this; <see cref="MinDelta"/>: candidate minus
/// baseline must be at least this; <see cref="MaxDrop"/>: baseline minus candidate must be at most this.
/// </summary>
public sealed record GateRule
{
    public required string Metric { get; init; }
    public double? Min { get; init; }
    public double? MinDelta { get; init; }
    public double? MaxDrop { get; init; }
}
