namespace PeftOps.Configuration;

/// <summary>
/// adapter.yaml's <c>compare</c>: the variants <c>peftops compare</c> trains beside the committed spec. Training,
/// evaluation and the gate ignore it; every variant is trained from the spec without it.
/// </summary>
public sealed record CompareSpec
{
    public IReadOnlyList<VariantSpec> Variants { get; init; } = [];
}
