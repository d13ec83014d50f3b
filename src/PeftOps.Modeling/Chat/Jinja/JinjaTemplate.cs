namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// A Jinja template parsed once and rendered as transformers renders chat templates: jinja2 3.1 with
/// <c>trim_blocks</c> and <c>lstrip_blocks</c>, the sandbox's rules, loop controls, <c>{% generation %}</c>, and the
/// globals <c>raise_exception</c>, <c>strftime_now</c> and the <c>tojson</c> filter that transformers adds. Written for
/// this project; parse or render errors are <see cref="JinjaException"/>s with the template line.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly IReadOnlyList<JinjaNode> _body;

    private JinjaTemplate(IReadOnlyList<JinjaNode> body) => _body = body;

    /// <summary>Parses <paramref name="source"/>; an unsupported tag, filter or test is refused here, before any rendering.</summary>
    public static JinjaTemplate Parse(string source) => new(JinjaParser.Parse(source));

    /// <summary>The output for these variables (C# values: string, bool, int, long, double, null, lists, dictionaries, JSON elements).</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables, Func<DateTime>? now = null) =>
        RenderWithGenerationSpans(variables, now).Text;

    /// <summary>The output and the <c>[start, end)</c> spans of it that <c>{% generation %}</c> blocks wrote.</summary>
    public (string Text, IReadOnlyList<(int Start, int End)> GenerationSpans) RenderWithGenerationSpans(
        IReadOnlyDictionary<string, object?> variables, Func<DateTime>? now = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var globals = new JinjaScope(null);
        JinjaGlobals.Add(globals, now ?? (() => DateTime.Now));
        var scope = new JinjaScope(globals);
        foreach (var (name, value) in variables)
            scope.Set(name, JinjaValues.From(value));
        var renderer = new JinjaRenderer();
        var text = renderer.Render(_body, scope);
        return (text, renderer.GenerationSpans);
    }
}
