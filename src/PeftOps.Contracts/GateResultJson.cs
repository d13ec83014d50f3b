using System.Text;
using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes gate.json (docs/gate-json.md). Reading throws <see cref="InputException"/>.</summary>
public static class GateResultJson
{
    public static string Serialize(GateResult result) => JsonSerializer.Serialize(result, EvalJsonOptions.Gate) + "\n";

    public static byte[] SerializeToUtf8Bytes(GateResult result) => Encoding.UTF8.GetBytes(Serialize(result));

    public static void Write(string path, GateResult result) => AtomicFile.WriteAllText(path, Serialize(result));

    public static GateResult Read(string path) => Parse(DocumentJson.ReadBytes(path, "gate.json"), path);

    /// <summary>Reads gate.json text; <paramref name="source"/> names it in errors.</summary>
    public static GateResult Parse(string json, string source) =>
        Checked(DocumentJson.Deserialize<GateResult>(json, EvalJsonOptions.Gate, source, "gate.json"), source);

    /// <summary>Reads gate.json bytes as stored (UTF-8); <paramref name="source"/> names them in errors.</summary>
    public static GateResult Parse(ReadOnlySpan<byte> utf8, string source) =>
        Checked(DocumentJson.Deserialize<GateResult>(utf8, EvalJsonOptions.Gate, source, "gate.json"), source);

    private static GateResult Checked(GateResult result, string source) =>
        result.Schema == GateResult.SchemaId ? result
        : throw new InputException($"{source}: schema is '{result.Schema}', expected '{GateResult.SchemaId}'");
}
