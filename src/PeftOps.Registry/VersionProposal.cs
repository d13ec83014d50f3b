namespace PeftOps.Registry;

/// <summary>
/// The next version and why: <c>major</c> when the base model changed, <c>minor</c> when the method or the data
/// changed, <c>patch</c> otherwise, <c>initial</c> (v1.0.0) when nothing is registered yet. <see cref="Warning"/> says
/// when the latest version's files were missing from the store and its lineage tag was compared instead.
/// </summary>
public sealed record VersionProposal(string Version, string? Previous, string Bump, IReadOnlyList<string> Reasons, string? Warning = null);
