using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>The keys of one YAML mapping, bound to the record <typeparamref name="T"/>; unknown keys are errors.</summary>
internal sealed class SpecShape<T>(string description, params SpecField<T>[] fields)
{
    public string Description { get; } = description;
    public IReadOnlyList<SpecField<T>> Fields { get; } = fields;

    public string KeyList => string.Join(", ", Fields.Select(f => f.Key));

    /// <summary>Keys of which at least one must be present (a target rule's min and min_delta).</summary>
    public IReadOnlyList<string> AtLeastOneOf { get; init; } = [];

    /// <summary>Reads a mapping into <paramref name="seed"/> (a record holding the defaults); false when it is not a mapping.</summary>
    public T Read(T seed, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"{(path.Length == 0 ? "the spec" : path)} must be a mapping with keys {KeyList} (was {Describe(node)})");
            return seed;
        }
        var value = seed;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var keyPath = SpecReadContext.Join(path, key);
            var field = Fields.FirstOrDefault(f => f.Key == key);
            if (field is null)
            {
                context.Error(keyNode, $"unknown key '{keyPath}' (expected one of: {KeyList})");
                continue;
            }
            seen.Add(key);
            context.Record(keyPath, valueNode);
            value = field.Read(value, valueNode, keyPath, context);
        }
        foreach (var field in Fields.Where(f => f.Required && !seen.Contains(f.Key)))
            field.ReportMissing(SpecReadContext.Join(path, field.Key), context);
        if (AtLeastOneOf.Count > 0 && !AtLeastOneOf.Any(seen.Contains))
            context.Error(node, $"{path} needs {string.Join(" or ", AtLeastOneOf)} (was neither)");
        return value;
    }

    /// <summary>Reports the required keys of a mapping that is absent altogether.</summary>
    public void ReportMissing(string path, SpecReadContext context)
    {
        foreach (var field in Fields.Where(f => f.Required))
            field.ReportMissing(SpecReadContext.Join(path, field.Key), context);
    }

    public JsonObject Schema(T defaults)
    {
        var properties = new JsonObject();
        foreach (var field in Fields)
            properties[field.Key] = field.Schema(defaults);
        var schema = new JsonObject
        {
            ["description"] = Description,
            ["type"] = "object",
            ["additionalProperties"] = false,
        };
        var required = Fields.Where(f => f.Required).Select(f => (JsonNode)f.Key).ToArray();
        if (required.Length > 0)
            schema["required"] = new JsonArray(required);
        if (AtLeastOneOf.Count > 0)
            schema["anyOf"] = new JsonArray([.. AtLeastOneOf.Select(k => (JsonNode)new JsonObject { ["required"] = new JsonArray(k) })]);
        schema["properties"] = properties;
        return schema;
    }

    public void Flatten(T value, string path, IDictionary<string, string> into)
    {
        foreach (var field in Fields)
            field.Flatten(value, SpecReadContext.Join(path, field.Key), into);
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" } => "empty",
        YamlScalarNode s => s.Value!,
        YamlSequenceNode => "a list",
        _ => "an alias",
    };
}
