namespace PeftOps.Registry.Tests;

/// <summary>A store that loses its connection after <paramref name="allowedWrites"/> writes (an outage mid-release).</summary>
public sealed class FailingStore(IArtifactStore inner, int allowedWrites) : IArtifactStore
{
    private int _writes;

    public string Location => inner.Location;

    public Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _writes) > allowedWrites
            ? throw new IOException($"connection to {Location} lost while writing {key}")
            : inner.TryCreateAsync(key, content, cancellationToken);

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) => inner.ReadAsync(key, cancellationToken);
}
