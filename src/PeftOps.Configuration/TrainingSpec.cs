namespace PeftOps.Configuration;

public enum SchedulerType
{
    Linear,
    Cosine,
    Constant,
}

public sealed record TrainingSpec
{
    public int Epochs { get; init; } = 3;
    /// <summary>When set, training stops after this many optimizer steps (overrides epochs).</summary>
    public int? MaxSteps { get; init; }
    public int BatchSize { get; init; } = 32;
    public int GradientAccumulationSteps { get; init; } = 1;
    public double LearningRate { get; init; } = 5e-4;
    public double WeightDecay { get; init; } = 0.01;
    public double WarmupRatio { get; init; } = 0.1;
    public SchedulerType Scheduler { get; init; } = SchedulerType.Linear;
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Activation checkpointing of every layer (transformers' <c>gradient_checkpointing</c>): less memory, one more forward per step.</summary>
    public bool GradientCheckpointing { get; init; }
    /// <summary>
    /// sequence-classification only: the weight of a loss that keeps the adapted encoder's sentence embeddings of the
    /// training texts where the base model put them (1 - cosine); null for off.
    /// </summary>
    public double? PreserveEmbeddings { get; init; }
    public int Seed { get; init; } = 42;
    public EarlyStoppingSpec? EarlyStopping { get; init; }
    /// <summary>Write a resumable checkpoint every N optimizer steps (0: only at epoch ends).</summary>
    public int CheckpointEvery { get; init; }
}

/// <param name="Metric">A validation metric: accuracy, macro_f1 or loss.</param>
public sealed record EarlyStoppingSpec
{
    public string Metric { get; init; } = "macro_f1";
    public int Patience { get; init; } = 2;
}
