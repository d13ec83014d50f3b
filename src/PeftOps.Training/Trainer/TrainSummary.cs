namespace PeftOps.Training.Trainer;

/// <summary><c>train.json</c>: what a training run did and cost.</summary>
public sealed record TrainSummary
{
    public required string Adapter { get; init; }
    public required string BaseModel { get; init; }
    public required string BaseModelSha256 { get; init; }
    public required string SpecSha256 { get; init; }
    public required int Steps { get; init; }
    public required double Epochs { get; init; }
    public required double Seconds { get; init; }
    public required string Device { get; init; }
    public required int Examples { get; init; }
    public required double ExamplesPerSecond { get; init; }
    public required double TokensPerSecond { get; init; }
    public required long PeakMemoryBytes { get; init; }
    public required long TrainableParams { get; init; }
    public required long TotalParams { get; init; }
    public required long AdapterBytes { get; init; }
    public int? BestStep { get; init; }
    public double? BestMetric { get; init; }
    public string? EarlyStoppingMetric { get; init; }
    public bool Resumed { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>The calibrated out-of-scope decision, when the spec declares scope.out_of_scope.</summary>
    public Scope.AdapterScope? Scope { get; init; }
    public required IReadOnlyDictionary<string, string> DataSha256 { get; init; }
    public required IReadOnlyDictionary<string, string> Spec { get; init; }
    public required string Torchsharp { get; init; }
    public required string Libtorch { get; init; }
}
