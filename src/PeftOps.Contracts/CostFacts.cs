using System.Diagnostics.CodeAnalysis;

namespace PeftOps.Contracts;

/// <summary>gate.json's <c>cost</c>: what training the candidate cost. <see cref="TrainableShare"/> = trainable / total parameters (a fraction).</summary>
[JsonKeyOrder("seconds", "device", "steps", "epochs", "trainable_params", "total_params", "trainable_share", "adapter_bytes",
    "examples_per_second", "tokens_per_second", "peak_memory_bytes", "best_step")]
public sealed record CostFacts : TrainingCost
{
    public CostFacts() { }

    /// <summary>The cost eval.json's <c>training</c> records.</summary>
    [SetsRequiredMembers]
    public CostFacts(TrainingCost training) : base(training) { }

    public double TrainableShare => TotalParams == 0 ? 0 : (double)TrainableParams / TotalParams;
}
