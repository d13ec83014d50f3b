using PeftOps.Contracts;


namespace PeftOps.Registry;

/// <summary>
/// A folder a command fills from the store (<c>registry pull</c>, <c>registry candidate fetch</c>): it must be new or
/// empty, is written beside itself and renamed into place, so it appears whole or not at all.
/// </summary>
internal static class OutputFolder
{
    public static string CheckNewOrEmpty(string outDirectory)
    {
        var target = Path.GetFullPath(outDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new InputException($"{target}: folder exists and is not empty (expected a new or empty folder)");
        return target;
    }

    /// <summary>Runs <paramref name="write"/> on a staging folder beside <paramref name="target"/>, then renames it into place.</summary>
    public static async Task WriteWholeAsync(string target, Func<string, Task> write)
    {
        var staging = $"{target.TrimEnd(Path.DirectorySeparatorChar)}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            await write(staging).ConfigureAwait(false);
            if (Directory.Exists(target))
                Directory.Delete(target);
            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }
}
