using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry;

/// <summary>
/// A stage change this clone has started and not yet seen pushed: <c>.git/peftops-pending/&lt;adapter&gt;.json</c>,
/// written before the tag and removed once the remote has it. The next command for the adapter finds it: the same
/// command finishes it (pushes the tag, or sees it pushed), another command withdraws the unpushed tag first, so
/// the clone and the remote agree again.
/// </summary>
internal sealed record PendingChange(string Command, string? Version, string? Stage, string Tag)
{
    /// <summary>Whether <paramref name="other"/> asks for this change: the same command and stage, and the same version when it names one.</summary>
    public bool Matches(PendingChange other) =>
        Command == other.Command && Stage == other.Stage && (other.Version is null || Version == other.Version);

    public static async Task<PendingChange?> ReadAsync(GitRepository git, string adapter, CancellationToken cancellationToken)
    {
        var path = await PathAsync(git, adapter, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<PendingChange>(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), RegistryDocumentJson.Indented);
        }
        catch (JsonException)
        {
            return null; // cut short by a crash while it was written: no tag was created after it
        }
    }

    public async Task WriteAsync(GitRepository git, string adapter, CancellationToken cancellationToken)
    {
        var path = await PathAsync(git, adapter, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(this, RegistryDocumentJson.Indented), cancellationToken).ConfigureAwait(false);
    }

    public static async Task ClearAsync(GitRepository git, string adapter, CancellationToken cancellationToken) =>
        File.Delete(await PathAsync(git, adapter, cancellationToken).ConfigureAwait(false));

    private static async Task<string> PathAsync(GitRepository git, string adapter, CancellationToken cancellationToken) =>
        Path.Combine(await git.CommonDirectoryAsync(cancellationToken).ConfigureAwait(false), "peftops-pending", adapter + ".json");
}
