namespace PeftOps.Contracts;

/// <summary>
/// Writes a file or a folder whole or not at all: it is written under a temporary name beside its place (same file
/// system, so the rename cannot copy), then renamed into place. A reader sees the old content or the new, never half;
/// a writer killed part-way leaves a dot-named <c>.NAME.GUID.tmp</c> at most, and no temporary when it fails cleanly.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Calls <paramref name="write"/> with a new temporary file beside <paramref name="path"/>, flushes it to disk and
    /// renames it over <paramref name="path"/>. The folder must exist.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var temp = TempBeside(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>
    /// Calls <paramref name="fill"/> with a new, empty temporary folder beside <paramref name="path"/>, then renames it to
    /// <paramref name="path"/>. When <paramref name="path"/> exists by then, <paramref name="whenExists"/> decides.
    /// The parent folder is created.
    /// </summary>
    public static void WriteDirectory(string path, Action<string> fill, ExistingFolder whenExists)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full) ?? throw new InputException($"{path}: cannot write a folder in place of a root folder");
        Directory.CreateDirectory(parent);
        var temp = TempBeside(full);
        try
        {
            Directory.CreateDirectory(temp);
            fill(temp);
            if (!Directory.Exists(full))
            {
                try
                {
                    Directory.Move(temp, full);
                    return;
                }
                catch (IOException) when (Directory.Exists(full))
                {
                    // another writer put its folder there first; whenExists decides below
                }
            }
            if (whenExists == ExistingFolder.ReplaceFiles)
            {
                foreach (var file in Directory.GetFiles(temp))
                    File.Move(file, Path.Combine(full, Path.GetFileName(file)), overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
        }
    }

    private static string TempBeside(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
}
