namespace PeftOps.Configuration;

public enum TaskType
{
    SequenceClassification,
    CausalLm,
}

/// <param name="Labels">The label set, in order; when empty, taken from the training data (sorted ordinally).</param>
public sealed record TaskSpec
{
    public TaskType Type { get; init; } = TaskType.SequenceClassification;
    public int MaxLength { get; init; } = 128;
    public IReadOnlyList<string> Labels { get; init; } = [];
}
