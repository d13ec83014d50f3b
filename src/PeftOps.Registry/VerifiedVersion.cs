using PeftOps.Contracts;
namespace PeftOps.Registry;

/// <summary>A version read from the store whose every file matched its manifest, and the manifest its tag.</summary>
public sealed record VerifiedVersion(Manifest Manifest, IReadOnlyDictionary<string, byte[]> Files);
