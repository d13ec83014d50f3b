namespace PeftOps.Contracts;

/// <summary>
/// One row of compare.json: a variant of the spec (<see cref="Set"/> applied as <c>--set</c>), what it cost and how
/// its gate against the base model went. <see cref="Passes"/>: the gate's exit code is 0.
/// </summary>
public sealed record ComparedVariant
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Set { get; init; }
    /// <summary>The method in one line: <c>lora r=4 alpha=8 on query, value</c>.</summary>
    public required string Method { get; init; }
    public required string SpecSha256 { get; init; }
    public required Verdict Verdict { get; init; }
    public required int GateExitCode { get; init; }
    public required string Headline { get; init; }
    public required long TrainableParams { get; init; }
    public required long TotalParams { get; init; }
    public required long AdapterBytes { get; init; }
    public required double TrainSeconds { get; init; }
    /// <summary>Milliseconds per example with the adapter unmerged (eval.json's latency); null when not measured.</summary>
    public required double? LatencyMs { get; init; }
    public required IReadOnlyList<VariantMetric> Target { get; init; }
    public required IReadOnlyList<VariantMetric> NonTarget { get; init; }

    public bool Passes => GateExitCode == 0;
}
