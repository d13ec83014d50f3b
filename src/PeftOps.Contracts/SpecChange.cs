namespace PeftOps.Contracts;

/// <param name="Before">null when the key was added.</param>
/// <param name="After">null when the key was removed.</param>
public sealed record SpecChange(string Key, string? Before, string? After);
