namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>The kinds of token <see cref="JinjaLexer"/> produces.</summary>
internal enum JinjaTokenKind
{
    Data,
    BlockBegin,
    BlockEnd,
    VariableBegin,
    VariableEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>One token: its kind, its text (a string literal already unescaped) and the template line it starts on.</summary>
internal sealed record JinjaToken(JinjaTokenKind Kind, string Text, int Line)
{
    public bool Is(JinjaTokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsName(string name) => Is(JinjaTokenKind.Name, name);

    public bool IsOperator(string op) => Is(JinjaTokenKind.Operator, op);
}
