namespace PeftOps.Configuration;

/// <summary>One key of the flattened spec that differs; null on a side where the key is absent.</summary>
public sealed record SpecChange(string Key, string? Before, string? After);
