namespace PeftOps.Configuration;

/// <summary>
/// adapter.yaml's <c>compare</c>: the variants <c>peftops compare</c> trains beside the committed spec. Training,
/// evaluation and the gate ignore it; every variant is trained from the spec without it.
/// </summary>
public sealed record CompareSpec
{
    public IReadOnlyList<VariantSpec> Variants { get; init; } = [];
}

/// <summary>
/// One variant of the spec: its <see cref="Name"/> (a folder under compare's output) and the <c>key=value</c>
/// overrides that make it, applied exactly as <c>--set</c> applies them (<c>method.r=4</c>, <c>method.type=ia3</c>).
/// </summary>
public sealed record VariantSpec
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Set { get; init; } = [];
}
