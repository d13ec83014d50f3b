using System.Text.Encodings.Web;
using System.Text.Json;

namespace PeftOps.Configuration;

/// <summary>
/// The JSON schema (draft 2020-12) of adapter.yaml, generated from the same table the loader uses.
/// Checked in as <c>adapters/adapter.schema.json</c>; editors with a YAML language server complete and
/// check a spec that starts with <c># yaml-language-server: $schema=../adapter.schema.json</c>.
/// </summary>
public static class SpecSchema
{
    public const string RepositoryPath = "adapters/adapter.schema.json";

    public const string RegenerateCommand = "dotnet run --project src/PeftOps.Cli -- spec schema --out adapters/adapter.schema.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The schema as indented JSON with \n line ends and a final newline.</summary>
    public static string Generate()
    {
        var body = SpecDefinition.Root.Schema(SpecDefinition.Seed());
        var schema = new System.Text.Json.Nodes.JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "PeftOps adapter spec",
        };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            schema[key] = value;
        }
        return schema.ToJsonString(Options).ReplaceLineEndings("\n") + "\n";
    }
}
