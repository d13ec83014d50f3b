using PeftOps.Contracts;


namespace PeftOps.Registry;

/// <summary>
/// The embedded default store: a folder (<c>.peftops/registry</c>). Each file is written to a temp file
/// beside its final name and linked into place without overwrite (<see cref="NoReplaceFile"/>), so a key
/// appears whole or not at all and a second writer gets "exists" instead of replacing it.
/// </summary>
public sealed class FolderArtifactStore : IArtifactStore
{
    public FolderArtifactStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Location => new Uri(Root).AbsoluteUri;

    public async Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
            return false;
        var temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(temp, content.ToArray(), cancellationToken).ConfigureAwait(false);
            return NoReplaceFile.TryPublish(temp, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InfrastructureException($"{Location}: cannot write {key} ({e.Message}); the folder must be writable", e);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InfrastructureException($"{Location}: cannot read {key} ({e.Message})", e);
        }
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"key '{key}' leaves the store", nameof(key));
        return path;
    }
}
