namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// Variables visible at a point of the template. A for loop and a macro call open a child scope, so a
/// <c>{% set %}</c> inside them is gone after them (which is why templates use <c>namespace()</c>); an if does not.
/// </summary>
internal sealed class JinjaScope(JinjaScope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
            if (scope._variables.TryGetValue(name, out value))
                return true;
        value = null;
        return false;
    }

    public void Set(string name, object? value) => _variables[name] = value;

    public JinjaScope? Parent { get; } = parent;
}
