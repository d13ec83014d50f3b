using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry;

/// <summary>
/// What the registry needs from an evaluator's <c>eval.json</c>, read field by field
/// (<c>adapter</c>, <c>base_model</c>, <c>spec_sha256</c>, <c>spec</c>, <c>data</c>, <c>environment</c>, <c>lineage</c>).
/// </summary>
public sealed record EvalFacts(
    string Adapter,
    BaseModelReference BaseModel,
    string? SpecSha256,
    IReadOnlyDictionary<string, string> Spec,
    IReadOnlyList<DataHash> Data,
    ToolVersions Tools,
    string? Commit,
    string? ParentVersion,
    string? AdapterSha256 = null)
{
    public static EvalFacts Parse(ReadOnlySpan<byte> json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new InputException($"{file}: not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InputException($"{file}: expected a JSON object, found {root.ValueKind}");
            var adapter = Text(root, "adapter") ?? throw new InputException($"{file}: key 'adapter' is missing (expected the adapter's name)");
            var baseModel = Child(root, "base_model");
            var baseRef = (baseModel is { } b ? Text(b, "ref") : null)
                ?? throw new InputException($"{file}: key 'base_model.ref' is missing (expected the base model reference)");
            var spec = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Child(root, "spec") is { ValueKind: JsonValueKind.Object } specElement)
            {
                foreach (var entry in specElement.EnumerateObject())
                    spec[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
            }
            var data = new List<DataHash>();
            if (Child(root, "data") is { ValueKind: JsonValueKind.Array } dataElement)
            {
                foreach (var item in dataElement.EnumerateArray())
                {
                    var sha = Text(item, "sha256") ?? throw new InputException($"{file}: data[{data.Count}].sha256 is missing");
                    long? rows = Child(item, "rows") is { ValueKind: JsonValueKind.Number } r && r.TryGetInt64(out var n) ? n : null;
                    data.Add(new DataHash(Text(item, "role"), Text(item, "name"), Text(item, "path"), sha, rows));
                }
            }
            var environment = Child(root, "environment");
            var lineage = Child(root, "lineage");
            return new EvalFacts(
                adapter,
                new BaseModelReference(baseRef, baseModel is { } bm ? Text(bm, "sha256") : null),
                Text(root, "spec_sha256"),
                spec,
                data,
                new ToolVersions(
                    environment is { } e1 ? Text(e1, "peftops") : null,
                    environment is { } e2 ? Text(e2, "torchsharp") : null,
                    environment is { } e3 ? Text(e3, "libtorch") : null),
                lineage is { } l1 ? Text(l1, "commit") : null,
                lineage is { } l2 ? Text(l2, "parent_version") : null,
                Text(root, "adapter_sha256"));
        }
    }

    private static JsonElement? Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null ? child : null;

    private static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } s ? s : null;
}
