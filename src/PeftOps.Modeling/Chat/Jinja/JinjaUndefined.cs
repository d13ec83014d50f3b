namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// jinja2's default <c>Undefined</c>: a missing variable, key or attribute. It prints as nothing, is false, iterates as
/// empty and has length 0; using it any other way (an attribute of it, arithmetic) fails with <see cref="Hint"/>.
/// </summary>
internal sealed class JinjaUndefined(string hint)
{
    /// <summary>What was missing, as jinja2 words it: <c>'x' is undefined</c>, <c>'dict object' has no attribute 'y'</c>.</summary>
    public string Hint { get; } = hint;

    public override string ToString() => "";
}
