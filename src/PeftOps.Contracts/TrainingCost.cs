namespace PeftOps.Contracts;

/// <summary>
/// What a training run did and cost, declared once for the three files that carry it: train.json's <c>summary</c>
/// (<see cref="TrainSummary"/>), eval.json's <c>training</c> (<see cref="TrainingSummary"/>) and gate.json's
/// <c>cost</c> (<see cref="CostFacts"/>). Each is built from the one before by this record's copy constructor, so a
/// statistic added here reaches all three.
/// </summary>
public abstract record TrainingCost
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
}
