namespace PeftOps.Contracts;

/// <summary>One stored file: lowercase hex sha256 of its bytes and their count.</summary>
public sealed record ManifestFile(string Sha256, long Bytes);
