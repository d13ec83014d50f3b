using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>A key holding a mapping from free-form names (module patterns) to scalars.</summary>
internal sealed class MapField<TOwner, T>(
    string key, string description, Scalar<T> value,
    Func<TOwner, IReadOnlyDictionary<string, T>> get, Func<TOwner, IReadOnlyDictionary<string, T>, TOwner> set)
    : SpecField<TOwner>(key, description)
{
    public Bounds? ValueBounds { get; init; }

    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"{path} must be a mapping of module name to {value.Expected} (was {Was(node)})");
            return owner;
        }
        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = keyNode is YamlScalarNode k ? k.Value ?? "" : "";
            var entryPath = $"{path}[{name}]";
            if (!TryScalar(valueNode, out var text) || value.Parse(text) is not (true, var parsed))
            {
                context.Error(valueNode, $"{entryPath} must be {value.Expected} (was {Was(valueNode)})");
                ok = false;
            }
            else if (ValueBounds is { } bounds && value.Numeric(parsed) is { } number && !bounds.Contains(number))
            {
                context.Error(valueNode, $"{entryPath} {bounds.Describe()} (was {Was(valueNode)})");
                ok = false;
            }
            else
            {
                values[name] = parsed;
            }
        }
        return ok ? set(owner, values) : owner;
    }

    public override JsonObject Schema(TOwner defaults)
    {
        var values = new JsonObject();
        value.Describe(values);
        ValueBounds?.AddTo(values);
        return Describe(new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = values,
            ["default"] = new JsonObject(get(defaults).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, value.ToJson(kv.Value)))),
        });
    }

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into)
    {
        foreach (var (name, v) in get(owner))
            into[$"{path}[{name}]"] = value.Render(v) ?? "null";
    }
}
