using static TorchSharp.torch;

namespace PeftOps.Modeling.Checkpoints;

/// <param name="ClassLabels">
/// When set on a bare BERT encoder, a BertForSequenceClassification is built with a new classifier
/// for these labels (initialised as transformers does, from <see cref="Seed"/>).
/// </param>
public sealed record ModelLoadOptions
{
    public IReadOnlyList<string>? ClassLabels { get; init; }
    public long Seed { get; init; } = 42;
    public Device? Device { get; init; }
    /// <summary>
    /// The dtype the frozen base's parameters are held in: float32 (default) or bfloat16 (<see cref="BaseDtype"/>).
    /// Adapters attached later stay float32.
    /// </summary>
    public ScalarType Dtype { get; init; } = ScalarType.Float32;
    /// <summary>Dropout probabilities in the base model; null keeps the config's.</summary>
    public double? Dropout { get; init; }
}
