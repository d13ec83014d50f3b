using PeftOps.Contracts;


namespace PeftOps.Registry;

/// <summary>
/// An exclusive lock on one version's release within a clone: <c>.git/peftops-locks/&lt;tag&gt;.lock</c>, opened
/// with <see cref="FileShare.None"/> (an advisory <c>flock</c> on Unix, released when the process ends, so a crash
/// leaves nothing to clean up).
/// </summary>
internal sealed class ReleaseLock : IDisposable
{
    private readonly FileStream _stream;

    private ReleaseLock(FileStream stream) => _stream = stream;

    public static async Task<ReleaseLock> AcquireAsync(GitRepository git, string tag, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(await git.CommonDirectoryAsync(cancellationToken).ConfigureAwait(false), "peftops-locks");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, tag + ".lock");
        try
        {
            return new ReleaseLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new InputException($"{tag}: another release of this version is running in this repository; it was left to finish", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
