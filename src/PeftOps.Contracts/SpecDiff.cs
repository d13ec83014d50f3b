namespace PeftOps.Contracts;

/// <summary>The flattened spec of the candidate against the baseline's; <see cref="FirstVersion"/> when there is none.</summary>
public sealed record SpecDiff(bool FirstVersion, IReadOnlyList<SpecChange> Changes);
