namespace PeftOps.Contracts;

/// <summary>
/// An out-of-scope suite's metrics for the baseline and the candidate on the paired rows: every out-of-scope metric
/// the rows define (precision, AUROC, FPR at 95% and in-scope accuracy need in-scope rows), whether or not a rule names it.
/// </summary>
public sealed record OutOfScopeFacts(
    string Suite, int OffTopic, int InScope, IReadOnlyDictionary<string, double> Baseline, IReadOnlyDictionary<string, double> Candidate);
