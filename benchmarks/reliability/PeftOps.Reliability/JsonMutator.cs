using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace PeftOps.Reliability;

/// <summary>
/// Structure-aware mutations of a JSON document: one to four values anywhere in the tree replaced by a value of
/// another type or a boundary value, removed, or copied from elsewhere; the result is valid JSON whose shape the
/// reader did not expect, which byte mutations rarely reach.
/// </summary>
internal static class JsonMutator
{
    // System.Text.Json will not write a lone surrogate: a placeholder stands for it until the text is written.
    private const string LoneSurrogate = "@lone-surrogate@";

    private static readonly string[] Replacements =
    [
        "null", "true", "false", "0", "-1", "1.5", "2147483648", "-9223372036854775809", "1e400", "\"\"", "\"x\"",
        $"\"{LoneSurrogate}\"", "\"\\u0000\"", "[]", "{}", "[null]", "[1]", "[\"a\", 1]", "{\"a\": null}", "{\"type\": null}",
        "\"" + new string('a', 300) + "\"",
    ];

    /// <summary>The mutated document, or null when <paramref name="input"/> is not a JSON value.</summary>
    public static byte[]? Mutate(PCG pcg, byte[] input)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(input);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
        if (root is null)
            return null;
        var rounds = 1 + (int)pcg.Next(4);
        for (var round = 0; round < rounds; round++)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            var target = nodes[(int)pcg.Next((uint)nodes.Count)];
            if (target.Parent is null)
                continue;
            var replacement = pcg.Next(4) == 0
                ? nodes[(int)pcg.Next((uint)nodes.Count)].DeepClone()
                : JsonNode.Parse(Replacements[pcg.Next((uint)Replacements.Length)]);
            var remove = pcg.Next(5) == 0;
            switch (target.Parent)
            {
                case JsonObject parent:
                    var name = target.GetPropertyName();
                    if (remove)
                        parent.Remove(name);
                    else if (!ReferenceEquals(replacement, target) && !Contains(replacement, parent))
                        parent[name] = replacement;
                    break;
                case JsonArray array:
                    var index = target.GetElementIndex();
                    if (remove)
                        array.RemoveAt(index);
                    else
                        array[index] = replacement;
                    break;
            }
        }
        string text;
        try
        {
            text = root.ToJsonString();
        }
        catch (InvalidOperationException)
        {
            return null; // the seed itself held a lone surrogate escape
        }
        return Encoding.UTF8.GetBytes(text.Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal));
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    if (value is not null)
                        Collect(value, nodes);
                }
                break;
            case JsonArray a:
                foreach (var value in a)
                {
                    if (value is not null)
                        Collect(value, nodes);
                }
                break;
        }
    }

    private static bool Contains(JsonNode? node, JsonNode ancestor)
    {
        for (var n = ancestor; n is not null; n = n.Parent)
        {
            if (ReferenceEquals(n, node))
                return true;
        }
        return false;
    }
}
