namespace PeftOps.Contracts;

/// <summary>
/// One threshold of one gate rule. The interval [<see cref="CiLow"/>, <see cref="CiHigh"/>] is of the candidate's
/// value for <c>min</c> and of <see cref="Delta"/> (candidate - baseline) otherwise. <see cref="PValue"/> tests
/// "no difference from the baseline"; <see cref="PAdjusted"/> is Holm-adjusted across the non-target metrics
/// (null for target rules).
/// </summary>
public sealed record RuleResult
{
    public required string Metric { get; init; }
    public required string Suite { get; init; }
    public required SuiteRole Role { get; init; }
    public required RuleKind Kind { get; init; }
    public required double Threshold { get; init; }
    public required BaselineKind ComparedWith { get; init; }
    public required int Paired { get; init; }
    public required double Baseline { get; init; }
    public required double Candidate { get; init; }
    public required double Delta { get; init; }
    public required bool HigherIsBetter { get; init; }
    public required double CiLow { get; init; }
    public required double CiHigh { get; init; }
    public required PTest PTest { get; init; }
    public required double PValue { get; init; }
    public double? PAdjusted { get; init; }
    public required Verdict Verdict { get; init; }
    public required string Reason { get; init; }
}

/// <summary>JSON: <c>min</c>, <c>min_delta</c>, <c>max_drop</c>.</summary>
public enum RuleKind
{
    Min,
    MinDelta,
    MaxDrop,
}

/// <summary>Where a rule's p-value comes from. JSON: <c>mcnemar</c>, <c>bootstrap</c>.</summary>
public enum PTest
{
    Mcnemar,
    Bootstrap,
}
