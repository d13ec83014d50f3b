using PeftOps.Contracts;


namespace PeftOps.Registry;

public sealed partial class AdapterRegistry
{
    /// <summary>Downloads a registered version and checks every byte: the manifest against its tag, each file against the manifest.</summary>
    public async Task<VerifiedVersion> VerifyAsync(string adapter, string version, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        var state = await StateAsync(adapter, cancellationToken).ConfigureAwait(false);
        version = RequireRegistered(state, CheckVersion(version));
        var registration = state.Registration(version)!;
        var lineage = TagReader.ReadLineage(registration.Message)
            ?? throw new ArtifactIntegrityException($"{registration.Tag}: the tag message is not a {LineageRecord.SchemaId} record, so the manifest cannot be checked");
        return await DownloadVerifiedAsync(adapter, version, lineage.ManifestSha256, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a verified version's files into <paramref name="outDirectory"/> (created whole, by renaming a folder beside it).</summary>
    public async Task<VerifiedVersion> PullAsync(string adapter, string? version, string? stage, string outDirectory, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        if ((version is null) == (stage is null))
            throw new InputException("registry pull: give exactly one of --version and --stage");
        if (stage is not null)
        {
            CheckStage(stage);
            var state = await StateAsync(adapter, cancellationToken).ConfigureAwait(false);
            version = state.StageVersion(stage) ?? throw new NothingFoundException($"{adapter}: no version holds stage '{stage}' in {Store.Location}");
        }
        var target = OutputFolder.CheckNewOrEmpty(outDirectory);
        var verified = await VerifyAsync(adapter, version!, cancellationToken).ConfigureAwait(false);
        await OutputFolder.WriteWholeAsync(target, async staging =>
        {
            foreach (var (name, bytes) in verified.Files)
                await File.WriteAllBytesAsync(Path.Combine(staging, name), bytes, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return verified;
    }

    private Task<VerifiedVersion> DownloadVerifiedAsync(string adapter, string version, string manifestSha256, CancellationToken cancellationToken) =>
        VerifiedFilesAsync(adapter, version, manifestSha256, $"{Store.Location}/{adapter}/{version}/",
            name => Store.ReadAsync(Key(adapter, version, name), cancellationToken));

    /// <summary>
    /// Reads a version's files through <paramref name="read"/> (by file name, null when missing) and checks them:
    /// the manifest against <paramref name="manifestSha256"/> from its tag, every other file against the manifest.
    /// <paramref name="where"/> names the folder in messages.
    /// </summary>
    private static async Task<VerifiedVersion> VerifiedFilesAsync(string adapter, string version, string manifestSha256, string where, Func<string, Task<byte[]?>> read)
    {
        var manifestBytes = await read(Manifest.FileName).ConfigureAwait(false)
            ?? throw new ArtifactIntegrityException($"{Manifest.FileName}: missing from {where}");
        var actual = Sha256.Hex(manifestBytes);
        if (actual != manifestSha256)
            throw new ArtifactIntegrityException($"{Manifest.FileName}: bytes changed in {where}{Manifest.FileName} (the tag of {adapter}@{version} records sha256 {manifestSha256}, found {actual})");
        var manifest = StoredManifest(manifestBytes, where + Manifest.FileName);
        if (manifest.Adapter != adapter || manifest.Version != version)
            throw new ArtifactIntegrityException($"{Manifest.FileName}: describes {manifest.Adapter}@{manifest.Version}, expected {adapter}@{version}");

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [Manifest.FileName] = manifestBytes };
        foreach (var name in Manifest.ContentFiles)
        {
            if (!manifest.Files.TryGetValue(name, out var expected))
                throw new ArtifactIntegrityException($"{name}: not listed in {where}{Manifest.FileName}");
            var bytes = await read(name).ConfigureAwait(false)
                ?? throw new ArtifactIntegrityException($"{name}: missing from {where}");
            var sha = Sha256.Hex(bytes);
            if (sha != expected.Sha256 || bytes.LongLength != expected.Bytes)
                throw new ArtifactIntegrityException($"{name}: bytes changed in {where}{name} (manifest sha256 {expected.Sha256}, {expected.Bytes} bytes; found sha256 {sha}, {bytes.LongLength} bytes)");
            files[name] = bytes;
        }
        return new VerifiedVersion(manifest, files);
    }

    /// <summary>A manifest read back from the store: one that is not a manifest means the stored bytes are not what was released.</summary>
    private static Manifest StoredManifest(ReadOnlySpan<byte> json, string where)
    {
        try
        {
            return ManifestJson.Parse(json, where);
        }
        catch (InputException e)
        {
            throw new ArtifactIntegrityException(e.Message, e);
        }
    }
}

/// <summary>A version read from the store whose every file matched its manifest, and the manifest its tag.</summary>
public sealed record VerifiedVersion(Manifest Manifest, IReadOnlyDictionary<string, byte[]> Files);
