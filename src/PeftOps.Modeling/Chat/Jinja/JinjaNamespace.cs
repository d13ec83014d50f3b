namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>jinja2's <c>namespace(...)</c>: an object whose attributes a <c>{% set ns.x = ... %}</c> in a loop may change.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
