namespace PeftOps.Contracts;

/// <summary>What <see cref="AtomicFile.WriteDirectory"/> does when the folder it writes already exists.</summary>
public enum ExistingFolder
{
    /// <summary>Leave it as it is: another writer made the same folder first (a cache).</summary>
    Keep,

    /// <summary>Move each new file over its namesake, one rename each; files only the old folder has stay.</summary>
    ReplaceFiles,
}
