namespace PeftOps.Contracts;

/// <param name="Description">one line for people: "production (v1.2.0)" or "base model (nothing in production)".</param>
/// <param name="Version">the production version (the candidate's lineage.parent_version), when known.</param>
/// <param name="Suites">per suite: what it was compared with and how many examples were paired.</param>
public sealed record BaselineInfo(BaselineKind Kind, string Description, string? Version, IReadOnlyList<SuitePairing> Suites);
