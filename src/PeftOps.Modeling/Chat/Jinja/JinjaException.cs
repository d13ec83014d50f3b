namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// A template that cannot be parsed or rendered: a syntax error, a feature this interpreter does not implement, an
/// error the template raised itself (<c>raise_exception</c>), or an operation Python would refuse. <see cref="Line"/>
/// is the template line it happened on (1-based, 0 when unknown).
/// </summary>
public sealed class JinjaException : Exception
{
    public JinjaException(string message, int line) : base(message) => Line = line;
    public JinjaException(string message) : base(message) { }
    public JinjaException() { }
    public JinjaException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The template line (1-based), 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>True when the template itself raised it through <c>raise_exception(message)</c>.</summary>
    public bool RaisedByTemplate { get; init; }

    /// <summary>True when the template uses a feature this interpreter refuses rather than renders.</summary>
    public bool Unsupported { get; init; }
}
