namespace PeftOps.Contracts;

/// <summary>
/// The adapter's labelled data against the baseline version's, read from the baseline's commit: rows added, removed
/// and relabelled (same normalised text, other label), per file and per label. When the baseline's data cannot be
/// read, <see cref="Status"/> is <c>not-run</c> and <see cref="Reason"/> says why.
/// </summary>
/// <param name="Status"><see cref="Ran"/> or <see cref="NotRun"/>.</param>
public sealed record DataDiff(
    string? BaselineVersion, string? BaselineCommit, string Status, string? Reason,
    IReadOnlyList<FileDiff> Files)
{
    public const string Ran = "ran";
    public const string NotRun = "not-run";
}

/// <param name="Sha256Changed">false when the file's sha256 equals the baseline's (then every count is 0).</param>
public sealed record FileDiff(string Split, string Path, bool Sha256Changed, int Added, int Removed, int Relabelled, IReadOnlyList<LabelDiff> Labels);

/// <param name="RelabelledFrom">rows that had another label in the baseline and have this one now.</param>
/// <param name="RelabelledTo">rows that had this label in the baseline and have another one now.</param>
public sealed record LabelDiff(string Label, int Added, int Removed, int RelabelledFrom, int RelabelledTo);
