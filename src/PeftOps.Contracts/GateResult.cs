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
    /// <summary>Per multiple-choice and generation suite, every metric it defines for baseline and candidate, with interval and p-value.</summary>
    public IReadOnlyList<MetricComparison> SuiteMetrics { get; init; } = [];
    public required SpecDiff SpecChanges { get; init; }
    public required LineageFacts Lineage { get; init; }
    public CostFacts? Cost { get; init; }
    public LatencySummary? Latency { get; init; }

    /// <summary>The sha256 of the eval.json files the gate read, so a release can check that this gate.json follows from its eval.json.</summary>
    public GateInputs? Inputs { get; init; }

    /// <summary>The spec's data_checks rules on the data.json the gate read, when it read one.</summary>
    public DataGateFacts? Data { get; init; }
}

/// <param name="CandidateEvalSha256">sha256 of the candidate's eval.json bytes.</param>
/// <param name="BaselineEvalSha256">sha256 of the baseline's eval.json bytes; null when the base model was the baseline.</param>
public sealed record GateInputs(string CandidateEvalSha256, string? BaselineEvalSha256);

/// <summary>The GitHub check run conclusion. JSON: <c>success</c>, <c>failure</c>, <c>neutral</c>.</summary>
public enum Conclusion
{
    Success,
    Failure,
    Neutral,
}

/// <param name="Description">one line for people: "production (v1.2.0)" or "base model (nothing in production)".</param>
/// <param name="Version">the production version (the candidate's lineage.parent_version), when known.</param>
/// <param name="Suites">per suite: what it was compared with and how many examples were paired.</param>
public sealed record BaselineInfo(BaselineKind Kind, string Description, string? Version, IReadOnlyList<SuitePairing> Suites);

/// <summary>What the candidate was compared with. JSON: <c>production</c>, <c>base_model</c>.</summary>
public enum BaselineKind
{
    Production,
    BaseModel,
}

/// <summary>
/// How one suite was paired: on the example ids common to candidate and baseline (production), or on all
/// examples against the base model. <see cref="SameData"/>: the suite's data_sha256 is the same on both sides.
/// </summary>
public sealed record SuitePairing(
    string Suite, BaselineKind ComparedWith, int Paired, int CandidateExamples, int BaselineExamples, bool SameData);

/// <summary>
/// An out-of-scope suite's metrics for the baseline and the candidate on the paired rows: every out-of-scope metric
/// the rows define (precision, AUROC, FPR at 95% and in-scope accuracy need in-scope rows), whether or not a rule names it.
/// </summary>
public sealed record OutOfScopeFacts(
    string Suite, int OffTopic, int InScope, IReadOnlyDictionary<string, double> Baseline, IReadOnlyDictionary<string, double> Candidate);

/// <summary>
/// One metric of a multiple-choice or generation suite on the paired examples, whether or not a rule names it, with the
/// statistics a rule on it would use: the paired bootstrap interval of <see cref="Delta"/> (candidate - baseline) and the
/// p-value of "no difference" (McNemar's exact test for acc, acc_norm, exact_match, pass_rate and the requirement rates,
/// counting only the rows that have the requirement; bootstrap for rouge_l and chrf). Not Holm-adjusted: no rule decides by it.
/// <see cref="Paired"/> counts the paired rows the metric averages over (for a requirement's rate, the rows that have it).
/// </summary>
public sealed record MetricComparison(
    string Suite, SuiteRole Role, string Metric, int Paired, double Baseline, double Candidate, double Delta,
    double CiLow, double CiHigh, PTest PTest, double PValue);

/// <summary>Where the candidate came from: base model, data, spec, code and the version it replaces.</summary>
public sealed record LineageFacts(
    BaseModelInfo BaseModel, string? AdapterSha256, string SpecSha256, IReadOnlyList<DataFileInfo> Data,
    string? Commit, string? ParentVersion, EnvironmentInfo Environment);
