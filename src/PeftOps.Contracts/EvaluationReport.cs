namespace PeftOps.Contracts;

/// <summary>
/// <c>eval.json</c> (schema <c>peftops.eval/v1</c>): one adapter's evaluation, base model and adapted model
/// on the same examples. Written by the evaluator, read by the gate; see docs/eval-json.md.
/// </summary>
public sealed record EvaluationReport
{
    public const string SchemaId = "peftops.eval/v1";

    public string Schema { get; init; } = SchemaId;
    public required string Adapter { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required BaseModelInfo BaseModel { get; init; }
    public string? AdapterSha256 { get; init; }
    public required string SpecSha256 { get; init; }

    /// <summary>adapter.yaml flattened to dotted keys (<c>method.r</c> -> <c>"8"</c>, lists as <c>key[0]</c>).</summary>
    public required IReadOnlyDictionary<string, string> Spec { get; init; }

    public required IReadOnlyList<DataFileInfo> Data { get; init; }
    public required EnvironmentInfo Environment { get; init; }
    public required LineageInfo Lineage { get; init; }
    public TrainingSummary? Training { get; init; }
    public LatencySummary? Latency { get; init; }
    public required IReadOnlyList<SuiteResult> Suites { get; init; }
}
