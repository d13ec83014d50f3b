namespace PeftOps.Contracts;

/// <summary>
/// Two flattened specs compared key by key (<see cref="FlatSpec.Diff"/>): every key added, removed or changed, in
/// ordinal key order. <see cref="FirstVersion"/> when there was nothing to compare with. gate.json <c>spec_changes</c>.
/// </summary>
public sealed record SpecDiff(bool FirstVersion, IReadOnlyList<SpecChange> Changes);

/// <param name="Before">null when the key was added.</param>
/// <param name="After">null when the key was removed.</param>
public sealed record SpecChange(string Key, string? Before, string? After);
