namespace PeftOps.Contracts;

/// <summary>
/// <c>compare.json</c> (schema <c>peftops.compare/v1</c>, docs/compare-json.md): the variants of one adapter's spec,
/// each trained, evaluated and gated against the base model by <c>peftops compare</c>, and the lightest one that passes.
/// </summary>
public sealed record ComparisonReport
{
    public const string SchemaId = "peftops.compare/v1";
    public const string FileName = "compare.json";

    public string Schema { get; init; } = SchemaId;
    public required string Adapter { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string BaseModel { get; init; }
    public required double Confidence { get; init; }

    /// <summary>The passing variant with the fewest trainable parameters (ties: fewest adapter bytes); null when none passes.</summary>
    public required string? LightestPassing { get; init; }

    /// <summary>0 when a variant passes; otherwise 1 when a gate failed, else 3 (every gate inconclusive-neutral).</summary>
    public required int ExitCode { get; init; }

    public required IReadOnlyList<ComparedVariant> Variants { get; init; }
}
