namespace PeftOps.Contracts;

/// <summary>
/// <c>manifest.json</c> of a released version (schema <c>peftops.manifest/v1</c>, docs/manifest-json.md):
/// what the version is made of and where it came from. Written last, once; the version's tag records its sha256.
/// </summary>
public sealed record Manifest(
    string Schema,
    string Adapter,
    string Version,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, ManifestFile> Files,
    BaseModelReference BaseModel,
    IReadOnlyList<DataHash> Data,
    string? SpecSha256,
    string Commit,
    string? ParentVersion,
    ToolVersions Tools,
    GateRecord Gate,
    ReleaseOrigin? Origin = null)
{
    public const string SchemaId = "peftops.manifest/v1";
    public const string FileName = "manifest.json";

    /// <summary>The files every version holds besides the manifest, in the order they are uploaded.</summary>
    public static IReadOnlyList<string> ContentFiles { get; } =
        [PeftFileNames.Config, PeftFileNames.Weights, "eval.json", "report.md"];

    /// <summary>The manifest's bytes as stored (<see cref="ManifestJson.SerializeToUtf8Bytes"/>).</summary>
    public byte[] ToJsonBytes() => ManifestJson.SerializeToUtf8Bytes(this);

    /// <summary>True when both manifests describe the same bytes (what a re-run of a release must find).</summary>
    public bool HasSameFilesAs(Manifest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return HasFiles(other.Files);
    }

    /// <summary>True when the manifest lists exactly <paramref name="files"/>, each with the same hash and length.</summary>
    public bool HasFiles(IReadOnlyDictionary<string, ManifestFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Files.Count == files.Count && Files.All(f => files.TryGetValue(f.Key, out var o) && o == f.Value);
    }
}

/// <summary>One stored file: lowercase hex sha256 of its bytes and their count.</summary>
public sealed record ManifestFile(string Sha256, long Bytes);

/// <summary>The base model an adapter was trained on: its reference (<c>builtin:all-MiniLM-L6-v2</c> or a folder) and the sha256 of its weights.</summary>
public sealed record BaseModelReference(string Ref, string? Sha256);

/// <summary>One data file the adapter was trained or evaluated on (role: train, validation or suite, as eval.json names them).</summary>
public sealed record DataHash(string? Role, string? Name, string? Path, string Sha256, long? Rows);

/// <summary>Versions of the software that produced the adapter.</summary>
public sealed record ToolVersions(string? Peftops, string? Torchsharp, string? Libtorch);

/// <summary>
/// The regression gate's verdict (pass, fail, inconclusive) and, when the release overrode a verdict other than pass
/// with <c>--force</c>, who approved it and why.
/// </summary>
public sealed record GateRecord(string Verdict, bool Forced, string? Reason = null, string? ApprovedBy = null);
