using PeftOps.Contracts;
namespace PeftOps.Registry;

/// <summary>A finished release: its tag, its manifest, and the remote the tag was pushed to (null when none).</summary>
public sealed record ReleaseResult(string Tag, Manifest Manifest, string? PushedTo);
