using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration;

/// <summary>
/// State of one load: where each node came from (a line of the file, or a <c>--set</c> override),
/// the value node found at each key path, and every error so far.
/// </summary>
internal sealed class SpecReadContext(string sourcePath)
{
    private readonly Dictionary<YamlNode, (string Location, int Index)> _overrides = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, YamlNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<SpecError> _errors = [];

    public string SourcePath { get; } = sourcePath;

    public IReadOnlyList<SpecError> Errors => _errors;

    /// <summary>Marks a node (and everything under it) as coming from the <paramref name="index"/>-th <c>--set</c>.</summary>
    public void MarkOverride(YamlNode node, string key, int index)
    {
        foreach (var n in node.AllNodes)
            _overrides[n] = ($"--set {key}", index);
    }

    public void Record(string path, YamlNode node) => _nodes[path] = node;

    public bool IsPresent(string path) => _nodes.ContainsKey(path);

    /// <summary>Where each key path read so far was set: <c>file:line</c>, or <c>--set key</c> for an override.</summary>
    public IReadOnlyDictionary<string, string> Locations() =>
        _nodes.ToDictionary(kv => kv.Key, kv => _overrides.TryGetValue(kv.Value, out var o) ? o.Location : $"{SourcePath}:{kv.Value.Start.Line}", StringComparer.Ordinal);

    public void Error(YamlNode node, string message)
    {
        if (_overrides.TryGetValue(node, out var o))
            _errors.Add(new SpecError(o.Location, long.MaxValue / 2 + o.Index, message));
        else
            _errors.Add(new SpecError($"{SourcePath}:{node.Start.Line}", node.Start.Line, message));
    }

    /// <summary>An error about a key path: located at its node, else at the nearest enclosing one, else line 1.</summary>
    public void Error(string path, string message)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_nodes.TryGetValue(p, out var node))
            {
                Error(node, message);
                return;
            }
        }
        _errors.Add(new SpecError($"{SourcePath}:1", 1, message));
    }

    public void Error(string location, long order, string message) => _errors.Add(new SpecError(location, order, message));

    /// <summary>Every error, one per line: file errors by line, then <c>--set</c> errors in the order given.</summary>
    public string Describe() => string.Join('\n', _errors.OrderBy(e => e.Order).Select(e => e.ToString()));

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>The enclosing key path: <c>method</c> for <c>method.r</c>, <c>method.layers_to_transform</c> for its <c>[2]</c>.</summary>
    public static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }
}

/// <summary>One validation error: <c>Location</c> is <c>file:line</c> or <c>--set key</c>.</summary>
/// <param name="Order">Sort key: file errors by line, then <c>--set</c> errors in the order given.</param>
internal sealed record SpecError(string Location, long Order, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

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
