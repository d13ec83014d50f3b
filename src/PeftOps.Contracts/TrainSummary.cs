namespace PeftOps.Contracts;

/// <summary>train.json's <c>summary</c>: what a training run did and cost, and what it was made from.</summary>
[JsonKeyOrder("adapter", "base_model", "base_model_sha256", "spec_sha256", "steps", "epochs", "seconds", "device", "base_dtype", "examples",
    "examples_per_second", "tokens_per_second", "peak_memory_bytes", "trainable_params", "total_params", "adapter_bytes", "best_step",
    "best_metric", "early_stopping_metric", "resumed", "labels", "scope", "data_sha256", "spec", "torchsharp", "libtorch")]
public sealed record TrainSummary : TrainingCost
{
    public required string Adapter { get; init; }
    public required string BaseModel { get; init; }
    public required string BaseModelSha256 { get; init; }
    public required string SpecSha256 { get; init; }
    public required int Examples { get; init; }
    /// <summary>The dtype the frozen base was held in (<c>--dtype</c>): float32 or bfloat16; the adapter is float32 either way.</summary>
    public string BaseDtype { get; init; } = "float32";
    public double? BestMetric { get; init; }
    public string? EarlyStoppingMetric { get; init; }
    public bool Resumed { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>The calibrated out-of-scope decision, when the spec declares scope.out_of_scope.</summary>
    public AdapterScope? Scope { get; init; }
    public required IReadOnlyDictionary<string, string> DataSha256 { get; init; }

    /// <summary>The flattened spec the run trained with (<see cref="FlatSpec"/>).</summary>
    public required IReadOnlyDictionary<string, string> Spec { get; init; }

    public required string Torchsharp { get; init; }
    public required string Libtorch { get; init; }
}
