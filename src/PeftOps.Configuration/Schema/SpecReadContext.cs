using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

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
