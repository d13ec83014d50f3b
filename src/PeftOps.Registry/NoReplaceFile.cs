using System.Runtime.InteropServices;

namespace PeftOps.Registry;

/// <summary>
/// Publishes a finished temp file under its final name only if that name is free, atomically.
/// <see cref="File.Move(string, string, bool)"/> cannot do this on Unix: without overwrite it checks
/// that the destination is absent and then calls <c>rename</c>, which replaces a file created in
/// between, so two racing writers can both "win". POSIX <c>link</c> fails with EEXIST instead.
/// </summary>
internal static partial class NoReplaceFile
{
    private const int EEXIST = 17;
    private const int EINTR = 4;

    /// <summary>Returns false when <paramref name="destination"/> already exists; the source is left in place.</summary>
    public static bool TryPublish(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
            return TryMoveOnWindows(source, destination);

        while (true)
        {
            if (Link(source, destination) == 0)
                return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR)
                continue;
            if (errno == EEXIST)
                return false;
            // A file system without hard links (some network mounts): claim the name with an
            // exclusive create and copy into it. Still exactly one winner; a crash midway leaves a
            // short file, which the manifest's hashes catch on verify.
            return TryCopyExclusive(source, destination);
        }
    }

    private static bool TryMoveOnWindows(string source, string destination)
    {
        try
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the name is taken.
            File.Move(source, destination, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false;
        }
    }

    private static bool TryCopyExclusive(string source, string destination)
    {
        FileStream target;
        try
        {
            target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false;
        }
        using (target)
        using (var input = File.OpenRead(source))
        {
            input.CopyTo(target);
            target.Flush(flushToDisk: true);
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);
}
