namespace PeftOps.Contracts;

/// <summary>One data file the adapter was trained or evaluated on (role: train, validation or suite, as eval.json names them).</summary>
public sealed record DataHash(string? Role, string? Name, string? Path, string Sha256, long? Rows);
