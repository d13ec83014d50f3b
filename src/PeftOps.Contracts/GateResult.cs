namespace PeftOps.Contracts;

/// <summary>
/// The gate's decision and every number the report shows: <c>gate.json</c>, schema <c>peftops.gate/v1</c>
/// (docs/gate-json.md). <see cref="ExitCode"/>: 0 pass, 1 fail, 3 inconclusive with <c>on_inconclusive: neutral</c>.
/// </summary>
public sealed record GateResult
{
    public const string SchemaId = "peftops.gate/v1";

    public string Schema { get; init; } = SchemaId;
    public required string Adapter { get; init; }
    public required Verdict Verdict { get; init; }
    public required Conclusion Conclusion { get; init; }
    public required int ExitCode { get; init; }
    public required string Headline { get; init; }
    public required BaselineInfo Baseline { get; init; }
    public required double Confidence { get; init; }
    public required int Resamples { get; init; }
    public required int Seed { get; init; }
    public required OnInconclusive OnInconclusive { get; init; }
    public required IReadOnlyList<RuleResult> Rules { get; init; }
    public required IReadOnlyList<SuiteFlips> Flips { get; init; }
    public required IReadOnlyList<ClassChange> PerClass { get; init; }
    /// <summary>Per out-of-scope suite, every out-of-scope metric for baseline and candidate.</summary>
    public IReadOnlyList<OutOfScopeFacts> OutOfScope { get; init; } = [];
    public required SpecDiff SpecChanges { get; init; }
    public required LineageFacts Lineage { get; init; }
    public CostFacts? Cost { get; init; }
    public LatencySummary? Latency { get; init; }

    /// <summary>The sha256 of the eval.json files the gate read, so a release can check that this gate.json follows from its eval.json.</summary>
    public GateInputs? Inputs { get; init; }
}

/// <param name="CandidateEvalSha256">sha256 of the candidate's eval.json bytes.</param>
/// <param name="BaselineEvalSha256">sha256 of the baseline's eval.json bytes; null when the base model was the baseline.</param>
public sealed record GateInputs(string CandidateEvalSha256, string? BaselineEvalSha256);
