using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>
/// One key of a mapping in adapter.yaml, bound to a property of the record <typeparamref name="TOwner"/>:
/// it reads the key's YAML node into the record, describes itself in the JSON schema and writes
/// itself into the flattened text view.
/// </summary>
internal abstract class SpecField<TOwner>(string key, string description)
{
    public string Key { get; } = key;
    public string Description { get; } = description;

    /// <summary>A key that must be present; its record default is a placeholder, not documented.</summary>
    public bool Required { get; init; }

    /// <summary>Reads the key's value into <paramref name="owner"/>; on error records it and returns the owner unchanged.</summary>
    public abstract TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context);

    /// <summary>The key's schema, with <c>default</c> taken from <paramref name="defaults"/> (a record holding its defaults).</summary>
    public abstract JsonObject Schema(TOwner defaults);

    public abstract void Flatten(TOwner owner, string path, IDictionary<string, string> into);

    /// <summary>Reports the key missing from its mapping; only called for required keys.</summary>
    public virtual void ReportMissing(string path, SpecReadContext context) => context.Error(path, $"{path} is required");

    /// <summary>The text of a scalar node (null for YAML null), or false for a mapping or list.</summary>
    protected static bool TryScalar(YamlNode node, out string? text)
    {
        text = null;
        if (node is not YamlScalarNode scalar)
            return false;
        text = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value ?? "";
        return true;
    }

    /// <summary>How a found value is quoted in messages: "(was eight)", "(was a list)".</summary>
    protected static string Was(YamlNode node) => node switch
    {
        YamlScalarNode s => TryScalar(s, out var t) && t is null ? "null" : s.Value ?? "",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    /// <summary>The schema with this key's description as its first keyword.</summary>
    protected JsonObject Describe(JsonObject schema)
    {
        var described = new JsonObject { ["description"] = Description };
        foreach (var (keyword, value) in schema.ToList())
        {
            schema.Remove(keyword);
            described[keyword] = value;
        }
        return described;
    }
}
