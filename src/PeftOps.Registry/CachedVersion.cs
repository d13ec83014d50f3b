namespace PeftOps.Registry;

/// <summary>A verified version on local disk (<see cref="AdapterRegistry.CachedAsync"/>).</summary>
/// <param name="Replaced">Why a cached copy failed verification and was downloaded again; null when it was not.</param>
public sealed record CachedVersion(VerifiedVersion Verified, string Folder, bool FromCache, string? Replaced);
