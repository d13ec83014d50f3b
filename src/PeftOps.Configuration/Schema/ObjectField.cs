using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>
/// A key holding a nested mapping (a child record). When the property may be null (an optional section,
/// <c>early_stopping</c>), YAML null unsets it and <paramref name="seed"/> supplies the defaults when it appears.
/// </summary>
internal sealed class ObjectField<TOwner, TChild>(
    string key, SpecShape<TChild> shape, Func<TOwner, TChild?> get, Func<TOwner, TChild?, TOwner> set, Func<TChild> seed)
    : SpecField<TOwner>(key, shape.Description)
    where TChild : class
{
    public bool Nullable { get; init; }

    public SpecShape<TChild> Shape => shape;

    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (Nullable && TryScalar(node, out var text) && text is null)
            return set(owner, null);
        return set(owner, shape.Read(get(owner) ?? seed(), node, path, context));
    }

    public override void ReportMissing(string path, SpecReadContext context) => shape.ReportMissing(path, context);

    public override JsonObject Schema(TOwner defaults)
    {
        var schema = shape.Schema(get(defaults) ?? seed());
        if (Nullable)
        {
            schema["type"] = new JsonArray("object", "null");
            schema["default"] = null;
        }
        return schema;
    }

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into)
    {
        if (get(owner) is { } child)
            shape.Flatten(child, path, into);
    }
}
