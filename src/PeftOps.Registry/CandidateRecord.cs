using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry;

/// <summary>
/// <c>candidate.json</c> (schema <c>peftops.candidate/v1</c>, docs/candidate-json.md): the reviewed candidate kept for
/// one set of inputs. Written once, last, after every file it names; its files are stored by their sha256.
/// </summary>
public sealed record CandidateRecord(
    string Schema,
    string Adapter,
    string Address,
    BaseModelReference BaseModel,
    string SpecSha256,
    IReadOnlyList<DataHash> Data,
    IReadOnlyDictionary<string, ManifestFile> Files,
    string? Commit,
    string? Reviewed,
    DateTimeOffset CreatedAt)
{
    public const string SchemaId = "peftops.candidate/v1";
    public const string FileName = "candidate.json";

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, RegistryDocumentJson.Indented);

    public static CandidateRecord Parse(ReadOnlySpan<byte> json, string where)
    {
        CandidateRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<CandidateRecord>(json, RegistryDocumentJson.Indented);
        }
        catch (JsonException e)
        {
            throw new ArtifactIntegrityException($"{where}: not a readable candidate record ({e.Message})", e);
        }
        if (record is null || record.Schema != SchemaId || record.Files is null || record.Adapter is null || record.Address is null)
            throw new ArtifactIntegrityException($"{where}: not a {SchemaId} record");
        return record;
    }
}
