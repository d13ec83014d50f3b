using PeftOps.Contracts;
namespace PeftOps.Registry;

public sealed partial class AdapterRegistry
{
    /// <summary>
    /// Every adapter's state after fetching origin's tags, for a process that follows the stages (<c>peftops serve</c>).
    /// Without a remote the local tags are the registry. A failed fetch throws <see cref="Contracts.InfrastructureException"/>;
    /// <see cref="AdaptersAsync"/> still answers from the tags fetched before.
    /// </summary>
    public async Task<IReadOnlyList<AdapterState>> FetchAdaptersAsync(CancellationToken cancellationToken)
    {
        var remote = await Git.DefaultRemoteAsync(cancellationToken).ConfigureAwait(false);
        if (remote is not null)
            await Git.FetchTagsAsync(remote, cancellationToken).ConfigureAwait(false);
        return await AdaptersAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A registered version in <c>CACHE/ADAPTER/VERSION/</c>, verified as <see cref="VerifyAsync"/> verifies the store: the
    /// manifest against the version's tag (read from the local clone), every file against the manifest. A cached copy that
    /// verifies is used without touching the store, so a server restarts while the store is down; one that does not is
    /// replaced by a fresh, verified download.
    /// </summary>
    /// <returns>The verified files, the folder holding them, and whether they came from the cache.</returns>
    public async Task<CachedVersion> CachedAsync(string adapter, string version, string cacheDirectory, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        version = CheckVersion(version);
        var folder = Path.Combine(Path.GetFullPath(cacheDirectory), adapter, version);
        if (Directory.Exists(folder))
        {
            var state = await StateAsync(adapter, cancellationToken).ConfigureAwait(false);
            RequireRegistered(state, version);
            var registration = state.Registration(version)!;
            var lineage = TagReader.ReadLineage(registration.Message)
                ?? throw new ArtifactIntegrityException($"{registration.Tag}: the tag message is not a {LineageRecord.SchemaId} record, so the manifest cannot be checked");
            try
            {
                var cached = await VerifiedFilesAsync(adapter, version, lineage.ManifestSha256, folder + Path.DirectorySeparatorChar,
                    name => ReadIfExistsAsync(Path.Combine(folder, name), cancellationToken)).ConfigureAwait(false);
                return new CachedVersion(cached, folder, FromCache: true, Replaced: null);
            }
            catch (ArtifactIntegrityException e)
            {
                Directory.Delete(folder, recursive: true);
                var fresh = await DownloadIntoAsync(adapter, version, folder, cancellationToken).ConfigureAwait(false);
                return new CachedVersion(fresh, folder, FromCache: false, Replaced: e.Message);
            }
        }
        return new CachedVersion(await DownloadIntoAsync(adapter, version, folder, cancellationToken).ConfigureAwait(false), folder, FromCache: false, Replaced: null);
    }

    private async Task<VerifiedVersion> DownloadIntoAsync(string adapter, string version, string folder, CancellationToken cancellationToken)
    {
        var verified = await VerifyAsync(adapter, version, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        await OutputFolder.WriteWholeAsync(folder, async staging =>
        {
            foreach (var (name, bytes) in verified.Files)
                await File.WriteAllBytesAsync(Path.Combine(staging, name), bytes, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return verified;
    }

    private static async Task<byte[]?> ReadIfExistsAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
}

/// <summary>A verified version on local disk (<see cref="AdapterRegistry.CachedAsync"/>).</summary>
/// <param name="Replaced">Why a cached copy failed verification and was downloaded again; null when it was not.</param>
public sealed record CachedVersion(VerifiedVersion Verified, string Folder, bool FromCache, string? Replaced);
