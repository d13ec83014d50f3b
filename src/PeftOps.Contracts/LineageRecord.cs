namespace PeftOps.Contracts;

/// <summary>
/// The message of a registration tag (<c>adapter@v1.2.3</c>): one line of JSON saying where the version came
/// from and which manifest (by sha256) holds its files, so a manifest changed in the store is caught.
/// </summary>
public sealed record LineageRecord(
    string Schema,
    string Adapter,
    string Version,
    string ManifestSha256,
    string Commit,
    string? ParentVersion,
    BaseModelReference BaseModel,
    string? SpecSha256,
    IReadOnlyList<DataHash> Data,
    ToolVersions Tools,
    GateRecord Gate,
    ReleaseOrigin? Origin = null,
    DateTimeOffset? CreatedAt = null)
{
    public const string SchemaId = "peftops.lineage/v1";

    public static LineageRecord From(Manifest manifest, string manifestSha256)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new(SchemaId, manifest.Adapter, manifest.Version, manifestSha256, manifest.Commit, manifest.ParentVersion,
            manifest.BaseModel, manifest.SpecSha256, manifest.Data, manifest.Tools, manifest.Gate, manifest.Origin, manifest.CreatedAt);
    }

    /// <summary>The manifest this record was written from, given the files it lists; null when the record predates <see cref="CreatedAt"/>.</summary>
    public Manifest? RebuildManifest(IReadOnlyDictionary<string, ManifestFile> files) =>
        CreatedAt is { } createdAt
            ? new Manifest(Manifest.SchemaId, Adapter, Version, createdAt, files, BaseModel, Data, SpecSha256, Commit, ParentVersion, Tools, Gate, Origin)
            : null;
}
