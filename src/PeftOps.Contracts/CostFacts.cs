namespace PeftOps.Contracts;

/// <summary>What training the candidate cost. <see cref="TrainableShare"/> = trainable / total parameters (a fraction).</summary>
public sealed record CostFacts
{
    public required double Seconds { get; init; }
    public required string Device { get; init; }
    public required int Steps { get; init; }
    public required double Epochs { get; init; }
    public required long TrainableParams { get; init; }
    public required long TotalParams { get; init; }
    public required double TrainableShare { get; init; }
    public required long AdapterBytes { get; init; }
    public required double ExamplesPerSecond { get; init; }
    public required double TokensPerSecond { get; init; }
    public required long PeakMemoryBytes { get; init; }
    public int? BestStep { get; init; }
}
