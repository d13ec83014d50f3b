namespace PeftOps.Contracts;

/// <summary>Versions of the software that produced the adapter.</summary>
public sealed record ToolVersions(string? Peftops, string? Torchsharp, string? Libtorch);
