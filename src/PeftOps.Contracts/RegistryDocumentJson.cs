using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeftOps.Contracts;

/// <summary>
/// The JSON conventions of manifest.json and the lineage record: snake_case, every key written (absent values as
/// null), indented for files and on one line for tag messages. A manifest's bytes are hashed into its tag, so these
/// options are part of the format: changing them changes every manifest's sha256.
/// </summary>
public static class RegistryDocumentJson
{
    public static JsonSerializerOptions Indented { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>One line, for git tag messages.</summary>
    public static JsonSerializerOptions OneLine { get; } = new(Indented) { WriteIndented = false };
}
