using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes the lineage record, the one-line JSON message of a registration tag (docs/manifest-json.md).</summary>
public static class LineageRecordJson
{
    /// <summary>One line of JSON, the tag's message.</summary>
    public static string Serialize(LineageRecord record) => JsonSerializer.Serialize(record, RegistryDocumentJson.OneLine);

    /// <summary>The record a tag message holds, or null when the message is not a <c>peftops.lineage/v1</c> record (GTO's own tags, older tags).</summary>
    public static LineageRecord? TryParse(string message)
    {
        try
        {
            var lineage = JsonSerializer.Deserialize<LineageRecord>(message, RegistryDocumentJson.Indented);
            return lineage?.Schema == LineageRecord.SchemaId ? lineage : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
