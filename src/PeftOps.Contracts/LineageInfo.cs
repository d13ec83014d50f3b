namespace PeftOps.Contracts;

/// <param name="Commit">git commit of the adapter folder, when known.</param>
/// <param name="ParentVersion">the registered version this one was trained to replace (<c>v1.2.0</c>), when any.</param>
public sealed record LineageInfo(string? Commit = null, string? ParentVersion = null);
