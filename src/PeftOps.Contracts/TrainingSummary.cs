namespace PeftOps.Contracts;

/// <summary>What training cost and how it went; <see cref="Curve"/> holds one point per logged step.</summary>
public sealed record TrainingSummary
{
    public required int Steps { get; init; }
    public required double Epochs { get; init; }
    public required double Seconds { get; init; }
    public required string Device { get; init; }
    public required double ExamplesPerSecond { get; init; }
    public required double TokensPerSecond { get; init; }
    public required long PeakMemoryBytes { get; init; }
    public required long TrainableParams { get; init; }
    public required long TotalParams { get; init; }
    public required long AdapterBytes { get; init; }
    public int? BestStep { get; init; }
    public IReadOnlyList<CurvePoint> Curve { get; init; } = [];
}
