namespace PeftOps.Registry;

/// <summary>
/// Write-once blob storage for released adapters. Keys are <c>&lt;adapter&gt;/&lt;version&gt;/&lt;file&gt;</c>.
/// A key, once written, is never replaced: <see cref="TryCreateAsync"/> answers false instead.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where the store is, for messages; never contains a secret.</summary>
    string Location { get; }

    /// <summary>Writes <paramref name="content"/> under <paramref name="key"/> unless the key exists; false when it did.</summary>
    Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The bytes under <paramref name="key"/>, or null when there is none.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);
}
