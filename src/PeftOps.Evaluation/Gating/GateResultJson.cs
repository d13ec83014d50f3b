using System.Text.Json;
using PeftOps.Configuration;

namespace PeftOps.Evaluation;

/// <summary>Reads and writes gate.json (docs/gate-json.md).</summary>
public static class GateResultJson
{
    public static string Serialize(GateResult result) => JsonSerializer.Serialize(result, EvalJsonOptions.Gate) + "\n";

    public static void Write(string path, GateResult result) => AtomicFile.WriteAllText(path, Serialize(result));

    public static GateResult Read(string path)
    {
        try
        {
            var result = JsonSerializer.Deserialize<GateResult>(File.ReadAllText(path), EvalJsonOptions.Gate)
                ?? throw new InputException($"{path}: not a valid gate.json: the file holds null, expected an object");
            return result.Schema == GateResult.SchemaId ? result
                : throw new InputException($"{path}: schema is '{result.Schema}', expected '{GateResult.SchemaId}'");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a valid gate.json: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read gate.json ({e.Message})", e);
        }
    }
}
