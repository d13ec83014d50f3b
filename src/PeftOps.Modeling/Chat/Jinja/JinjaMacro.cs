namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>A <c>{% macro %}</c>: called with positional or keyword arguments, it renders its body in a scope of its own.</summary>
internal sealed class JinjaMacro(MacroNode node, JinjaScope definedIn, JinjaRenderer renderer) : IJinjaCallable
{
    public object? Call(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int line)
    {
        if (args.Count > node.Parameters.Count)
            throw new JinjaException($"macro '{node.Name}' takes not more than {node.Parameters.Count} argument(s)", line);
        var scope = new JinjaScope(definedIn);
        for (var i = 0; i < node.Parameters.Count; i++)
        {
            var (name, fallback) = node.Parameters[i];
            var value = i < args.Count ? args[i]
                : kwargs.TryGetValue(name, out var named) ? named
                : fallback is not null ? renderer.Eval(fallback, scope)
                : new JinjaUndefined($"parameter '{name}' was not provided");
            scope.Set(name, value);
        }
        var unknown = kwargs.Keys.FirstOrDefault(k => node.Parameters.All(p => p.Name != k));
        if (unknown is not null)
            throw new JinjaException($"macro '{node.Name}' takes no keyword argument '{unknown}'", line);
        return renderer.Capture(node.Body, scope);
    }

    public override string ToString() => $"<Macro '{node.Name}'>";
}
