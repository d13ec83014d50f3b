namespace PeftOps.Training.DataChecks;

/// <summary>
/// The baseline version's data as its commit held it: for each data file of the spec inside the repository (keyed
/// by its path as the spec writes it, without a <c>#split</c>) the file's bytes at <see cref="Commit"/>, null where the
/// commit had no such file; files outside the repository are absent and not diffed. <see cref="NotRunReason"/> set: the
/// commit could not be read, and the diff says why instead.
/// </summary>
public sealed record BaselineData(string? Version, string? Commit, IReadOnlyDictionary<string, byte[]?> Files, string? NotRunReason = null)
{
    public static BaselineData Unavailable(string? version, string? commit, string reason) => new(version, commit, new Dictionary<string, byte[]?>(), reason);
}
