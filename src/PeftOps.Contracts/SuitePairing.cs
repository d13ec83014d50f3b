namespace PeftOps.Contracts;

/// <summary>
/// How one suite was paired: on the example ids common to candidate and baseline (production), or on all
/// examples against the base model. <see cref="SameData"/>: the suite's data_sha256 is the same on both sides.
/// </summary>
public sealed record SuitePairing(
    string Suite, BaselineKind ComparedWith, int Paired, int CandidateExamples, int BaselineExamples, bool SameData);
