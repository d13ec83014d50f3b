namespace PeftOps.Contracts;

/// <summary>Milliseconds per example over <see cref="Examples"/> examples: base model, adapter unmerged, adapter merged.</summary>
public sealed record LatencySummary(int Examples, double BaseMs, double AdapterMs, double MergedMs);
