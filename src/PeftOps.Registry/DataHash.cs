namespace PeftOps.Registry;

/// <summary>One data file the adapter was trained or evaluated on (role: train, validation, target, non_target).</summary>
public sealed record DataHash(string? Role, string? Name, string? Path, string Sha256, long? Rows);
