using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes gate.json (docs/gate-json.md).</summary>
public static class GateResultJson
{
    public static string Serialize(GateResult result) => JsonSerializer.Serialize(result, EvalJsonOptions.Gate) + "\n";

    public static void Write(string path, GateResult result) => AtomicFile.WriteAllText(path, Serialize(result));

    public static GateResult Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read gate.json ({e.Message})", e);
        }
        return Parse(json, path);
    }

    /// <summary>Reads gate.json text; <paramref name="source"/> names it in errors.</summary>
    public static GateResult Parse(string json, string source)
    {
        try
        {
            var result = JsonSerializer.Deserialize<GateResult>(json, EvalJsonOptions.Gate)
                ?? throw new InputException($"{source}: not a valid gate.json: the file holds null, expected an object");
            return result.Schema == GateResult.SchemaId ? result
                : throw new InputException($"{source}: schema is '{result.Schema}', expected '{GateResult.SchemaId}'");
        }
        catch (JsonException e)
        {
            throw new InputException($"{source}: not a valid gate.json: {e.Message}", e);
        }
    }
}
