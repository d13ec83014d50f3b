using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>
/// Applies <c>--set key=value</c> overrides to the parsed YAML before validation. Keys are dotted paths
/// in the YAML's own names (<c>training.epochs</c>, <c>gate.target[0].min</c>); values are YAML
/// (<c>4</c>, <c>[query, key]</c>, <c>{metric: loss}</c>). Nodes they add are marked so errors name the override.
/// </summary>
internal static partial class SpecOverrides
{
    [GeneratedRegex(@"^(?<key>[a-z_][a-z0-9_]*)(\[(?<index>\d+)\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    public static void Apply(YamlMappingNode root, IReadOnlyList<string> overrides, SpecReadContext context)
    {
        for (var i = 0; i < overrides.Count; i++)
        {
            var text = overrides[i];
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? text : text[..eq];
            var location = $"--set {key}";
            long order = long.MaxValue / 2 + i;
            if (eq <= 0)
            {
                context.Error(location, order, $"expected key=value, like training.epochs=2 (was {text})");
                continue;
            }
            var segments = key.Split('.').Select(s => Segment().Match(s)).ToList();
            if (segments.Any(m => !m.Success))
            {
                context.Error(location, order, $"{key} is not a key path: expected dotted snake_case keys like method.r or gate.target[0].min (was {text})");
                continue;
            }
            var valueText = text[(eq + 1)..];
            YamlNode value;
            try
            {
                value = ParseValue(valueText);
            }
            catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
            {
                context.Error(location, order, $"{key} must be a YAML value, like 4, text, [a, b] or {{k: v}} (was {valueText})");
                continue;
            }
            context.MarkOverride(value, key, i);
            if (Place(root, segments, value, key, i, context) is { } problem)
                context.Error(location, order, problem);
        }
    }

    /// <summary>Puts <paramref name="value"/> at the path, creating mappings on the way; returns what went wrong, or null.</summary>
    private static string? Place(YamlMappingNode root, List<Match> segments, YamlNode value, string key, int index, SpecReadContext context)
    {
        YamlNode current = root;
        var path = "";
        for (var s = 0; s < segments.Count; s++)
        {
            var name = segments[s].Groups["key"].Value;
            var last = s == segments.Count - 1;
            var hasIndex = segments[s].Groups["index"].Success;
            if (current is not YamlMappingNode mapping)
                return $"{path} is not a mapping, so it has no key '{name}' (was {key})";
            path = SpecReadContext.Join(path, name);
            var keyNode = new YamlScalarNode(name);
            if (last && !hasIndex)
            {
                var existing = mapping.Children.Keys.FirstOrDefault(k => k.Equals(keyNode));
                if (existing is null)
                    context.MarkOverride(keyNode, key, index);
                mapping.Children[existing ?? keyNode] = value;
                return null;
            }
            if (!mapping.Children.TryGetValue(keyNode, out var child))
            {
                if (hasIndex)
                    return $"{path} is not in the spec, so it has no item {segments[s].Groups["index"].Value}";
                child = new YamlMappingNode();
                context.MarkOverride(keyNode, key, index);
                context.MarkOverride(child, key, index);
                mapping.Children[keyNode] = child;
            }
            if (hasIndex)
            {
                var at = int.Parse(segments[s].Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (child is not YamlSequenceNode sequence || at >= sequence.Children.Count)
                    return $"{path} has no item {at} (was {(child is YamlSequenceNode q ? $"a list of {q.Children.Count}" : "not a list")})";
                path = $"{path}[{at}]";
                if (last)
                {
                    sequence.Children[at] = value;
                    return null;
                }
                child = sequence.Children[at];
            }
            current = child;
        }
        return null;
    }

    private static YamlNode ParseValue(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
    }
}
