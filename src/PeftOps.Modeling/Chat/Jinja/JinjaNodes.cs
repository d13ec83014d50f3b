namespace PeftOps.Modeling.Chat.Jinja;

// The syntax tree JinjaParser builds and JinjaRenderer walks; every node keeps the template line it starts on.

/// <summary>An expression.</summary>
internal abstract record JinjaExpr(int Line);

internal sealed record LiteralExpr(object? Value, int Line) : JinjaExpr(Line);

internal sealed record NameExpr(string Name, int Line) : JinjaExpr(Line);

internal sealed record ListExpr(IReadOnlyList<JinjaExpr> Items, int Line) : JinjaExpr(Line);

internal sealed record TupleExpr(IReadOnlyList<JinjaExpr> Items, int Line) : JinjaExpr(Line);

internal sealed record DictExpr(IReadOnlyList<(JinjaExpr Key, JinjaExpr Value)> Pairs, int Line) : JinjaExpr(Line);

/// <summary><c>obj.name</c>: attribute first, then item (jinja2's <c>getattr</c>).</summary>
internal sealed record AttributeExpr(JinjaExpr Target, string Name, int Line) : JinjaExpr(Line);

/// <summary><c>obj[key]</c>: item first, then attribute (jinja2's <c>getitem</c>).</summary>
internal sealed record ItemExpr(JinjaExpr Target, JinjaExpr Key, int Line) : JinjaExpr(Line);

internal sealed record SliceExpr(JinjaExpr Target, JinjaExpr? Start, JinjaExpr? Stop, JinjaExpr? Step, int Line) : JinjaExpr(Line);

internal sealed record CallExpr(JinjaExpr Callee, IReadOnlyList<JinjaExpr> Args, IReadOnlyList<(string Name, JinjaExpr Value)> Kwargs, int Line) : JinjaExpr(Line);

internal sealed record FilterExpr(JinjaExpr Target, string Name, IReadOnlyList<JinjaExpr> Args, IReadOnlyList<(string Name, JinjaExpr Value)> Kwargs, int Line) : JinjaExpr(Line);

internal sealed record TestExpr(JinjaExpr Target, string Name, IReadOnlyList<JinjaExpr> Args, bool Negated, int Line) : JinjaExpr(Line);

internal sealed record UnaryExpr(string Op, JinjaExpr Operand, int Line) : JinjaExpr(Line);

internal sealed record BinaryExpr(string Op, JinjaExpr Left, JinjaExpr Right, int Line) : JinjaExpr(Line);

/// <summary><c>a &lt; b &lt;= c</c>: Python's chained comparison.</summary>
internal sealed record CompareExpr(JinjaExpr First, IReadOnlyList<(string Op, JinjaExpr Operand)> Rest, int Line) : JinjaExpr(Line);

internal sealed record ConditionalExpr(JinjaExpr Test, JinjaExpr Then, JinjaExpr? Else, int Line) : JinjaExpr(Line);

/// <summary>A statement or a piece of output.</summary>
internal abstract record JinjaNode(int Line);

internal sealed record TextNode(string Text, int Line) : JinjaNode(Line);

internal sealed record OutputNode(JinjaExpr Value, int Line) : JinjaNode(Line);

internal sealed record IfNode(IReadOnlyList<(JinjaExpr Test, IReadOnlyList<JinjaNode> Body)> Branches, IReadOnlyList<JinjaNode> Else, int Line) : JinjaNode(Line);

internal sealed record ForNode(IReadOnlyList<string> Targets, JinjaExpr Iterable, JinjaExpr? Filter, IReadOnlyList<JinjaNode> Body, IReadOnlyList<JinjaNode> Else, int Line) : JinjaNode(Line);

/// <summary><c>{% set a = x %}</c>, <c>{% set a, b = x %}</c> or <c>{% set ns.attr = x %}</c> (Namespace not null).</summary>
internal sealed record SetNode(IReadOnlyList<string> Targets, string? Namespace, JinjaExpr Value, int Line) : JinjaNode(Line);

/// <summary><c>{% set a %}...{% endset %}</c>.</summary>
internal sealed record SetBlockNode(string Target, IReadOnlyList<JinjaNode> Body, int Line) : JinjaNode(Line);

internal sealed record MacroNode(string Name, IReadOnlyList<(string Name, JinjaExpr? Default)> Parameters, IReadOnlyList<JinjaNode> Body, int Line) : JinjaNode(Line);

/// <summary>transformers' <c>{% generation %}...{% endgeneration %}</c>: the assistant text it marks for the loss mask.</summary>
internal sealed record GenerationNode(IReadOnlyList<JinjaNode> Body, int Line) : JinjaNode(Line);

internal sealed record BreakNode(int Line) : JinjaNode(Line);

internal sealed record ContinueNode(int Line) : JinjaNode(Line);
