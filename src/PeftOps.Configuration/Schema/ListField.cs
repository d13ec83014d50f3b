using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>A key holding a YAML list of scalars.</summary>
internal sealed class ListField<TOwner, T>(
    string key, string description, Scalar<T> item, Func<TOwner, IReadOnlyList<T>> get, Func<TOwner, IReadOnlyList<T>, TOwner> set)
    : SpecField<TOwner>(key, description)
{
    public Bounds? ItemBounds { get; init; }
    public bool Unique { get; init; }

    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlSequenceNode sequence)
        {
            context.Error(node, $"{path} must be a list of {Plural(item.Expected)} (was {Was(node)})");
            return owner;
        }
        var values = new List<T>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var child = sequence.Children[i];
            var itemPath = $"{path}[{i}]";
            if (!TryScalar(child, out var text) || item.Parse(text) is not (true, var value))
            {
                context.Error(child, $"{itemPath} must be {item.Expected} (was {Was(child)})");
                ok = false;
            }
            else if (ItemBounds is { } bounds && item.Numeric(value) is { } number && !bounds.Contains(number))
            {
                context.Error(child, $"{itemPath} {bounds.Describe()} (was {Was(child)})");
                ok = false;
            }
            else if (Unique && values.Contains(value))
            {
                context.Error(child, $"{itemPath} must not repeat an earlier item (was {Was(child)})");
                ok = false;
            }
            else
            {
                values.Add(value);
            }
        }
        return ok ? set(owner, values) : owner;
    }

    public override JsonObject Schema(TOwner defaults)
    {
        var items = new JsonObject();
        item.Describe(items);
        ItemBounds?.AddTo(items);
        var schema = Describe(new JsonObject { ["type"] = "array", ["items"] = items });
        if (Unique)
            schema["uniqueItems"] = true;
        schema["default"] = new JsonArray([.. get(defaults).Select(item.ToJson)]);
        return schema;
    }

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into) =>
        into[path] = SpecTextFormat.List(get(owner).Select(v => item.Render(v) ?? "null"));

    private static string Plural(string expected) => expected switch
    {
        "a string" => "strings",
        "an integer" => "integers",
        "a number" => "numbers",
        _ => $"values ({expected})",
    };
}
