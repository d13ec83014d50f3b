using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>
/// A key holding a list of mappings (suites, gate rules). In the flattened view items are keyed by
/// <paramref name="label"/> (a suite's name, a rule's metric) so reordering them changes nothing.
/// </summary>
internal sealed class ObjectListField<TOwner, TChild>(
    string key, string description, SpecShape<TChild> shape,
    Func<TOwner, IReadOnlyList<TChild>> get, Func<TOwner, IReadOnlyList<TChild>, TOwner> set,
    Func<TChild> seed, Func<TChild, string> label)
    : SpecField<TOwner>(key, description)
{
    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlSequenceNode sequence)
        {
            context.Error(node, $"{path} must be a list of mappings with keys {shape.KeyList} (was {Was(node)})");
            return owner;
        }
        var items = new List<TChild>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            context.Record(itemPath, sequence.Children[i]);
            items.Add(shape.Read(seed(), sequence.Children[i], itemPath, context));
        }
        return set(owner, items);
    }

    public override JsonObject Schema(TOwner defaults) =>
        Describe(new JsonObject
        {
            ["type"] = "array",
            ["items"] = shape.Schema(seed()),
            ["default"] = new JsonArray(),
        });

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into)
    {
        foreach (var item in get(owner))
            shape.Flatten(item, $"{path}[{label(item)}]", into);
    }
}
