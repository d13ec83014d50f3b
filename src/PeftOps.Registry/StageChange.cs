namespace PeftOps.Registry;

/// <summary>A tag written by promote, rollback, deregister or deprecate; <see cref="Replaces"/> is the stage's previous holder.</summary>
public sealed record StageChange(string Tag, string Adapter, string? Stage, string? Version, string? Replaces, string? PushedTo);
