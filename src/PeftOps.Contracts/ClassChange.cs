namespace PeftOps.Contracts;

/// <summary>One class of a classification suite, baseline and candidate on the paired examples.</summary>
public sealed record ClassChange
{
    public required string Suite { get; init; }
    public required string Label { get; init; }
    public required int Support { get; init; }
    public required ClassMetrics Baseline { get; init; }
    public required ClassMetrics Candidate { get; init; }
    public double DeltaF1 => Candidate.F1 - Baseline.F1;
}
