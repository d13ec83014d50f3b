using System.Globalization;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// Builds the syntax tree from <see cref="JinjaLexer"/>'s tokens with jinja2's grammar and operator precedence
/// (conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary - +, then postfix <c>.</c> <c>[]</c>
/// <c>()</c> with filters <c>|</c> and tests <c>is</c>). A tag this interpreter does not implement is refused with
/// its name and line; it is never skipped.
/// </summary>
internal sealed class JinjaParser
{
    /// <summary>Tags jinja2 knows that this interpreter refuses (so the message says "not supported", not "unknown").</summary>
    private static readonly HashSet<string> RefusedTags = new(StringComparer.Ordinal)
    {
        "call", "filter", "with", "block", "extends", "include", "import", "from", "raw", "autoescape", "do", "trans", "print",
    };

    private readonly List<JinjaToken> _tokens;
    private int _pos;

    private JinjaParser(List<JinjaToken> tokens) => _tokens = tokens;

    public static IReadOnlyList<JinjaNode> Parse(string template)
    {
        var parser = new JinjaParser(JinjaLexer.Tokenize(template));
        var body = parser.Subparse([]);
        if (parser.Current.Kind != JinjaTokenKind.End)
            throw new JinjaException($"Encountered unknown tag '{parser.Current.Text}'", parser.Current.Line);
        return body;
    }

    private JinjaToken Current => _tokens[_pos];

    private JinjaToken Peek(int ahead = 1) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private JinjaToken Next() => _tokens[_pos++];

    private bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op))
            return false;
        _pos++;
        return true;
    }

    private bool SkipName(string name)
    {
        if (!Current.IsName(name))
            return false;
        _pos++;
        return true;
    }

    private void ExpectOperator(string op)
    {
        if (!SkipOperator(op))
            throw new JinjaException($"expected '{op}', got '{Describe(Current)}'", Current.Line);
    }

    private string ExpectName()
    {
        if (Current.Kind != JinjaTokenKind.Name)
            throw new JinjaException($"expected a name, got '{Describe(Current)}'", Current.Line);
        return Next().Text;
    }

    private void ExpectBlockEnd()
    {
        if (Current.Kind != JinjaTokenKind.BlockEnd)
            throw new JinjaException($"expected the end of the statement block, got '{Describe(Current)}'", Current.Line);
        _pos++;
    }

    private static string Describe(JinjaToken t) => t.Kind switch
    {
        JinjaTokenKind.BlockEnd => "%}",
        JinjaTokenKind.VariableEnd => "}}",
        JinjaTokenKind.End => "end of template",
        _ => t.Text,
    };

    /// <summary>Nodes up to a <c>{% name %}</c> whose name is one of <paramref name="endTags"/> (left as the current token).</summary>
    private List<JinjaNode> Subparse(IReadOnlyCollection<string> endTags)
    {
        var body = new List<JinjaNode>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case JinjaTokenKind.End:
                    if (endTags.Count > 0)
                        throw new JinjaException($"Unexpected end of template. Jinja was looking for the following tags: {string.Join(" or ", endTags.Select(t => $"'{t}'"))}.", token.Line);
                    return body;
                case JinjaTokenKind.Data:
                    _pos++;
                    body.Add(new TextNode(token.Text, token.Line));
                    break;
                case JinjaTokenKind.VariableBegin:
                    _pos++;
                    var value = ParseTuple(withCondition: true);
                    if (Current.Kind != JinjaTokenKind.VariableEnd)
                        throw new JinjaException($"expected '}}}}', got '{Describe(Current)}'", Current.Line);
                    _pos++;
                    body.Add(new OutputNode(value, token.Line));
                    break;
                case JinjaTokenKind.BlockBegin:
                    var name = Peek();
                    if (name.Kind == JinjaTokenKind.Name && endTags.Contains(name.Text))
                    {
                        _pos++;
                        return body;
                    }
                    _pos++;
                    body.Add(Statement());
                    break;
                default:
                    throw new JinjaException($"unexpected '{Describe(token)}'", token.Line);
            }
        }
    }

    private JinjaNode Statement()
    {
        var token = Current;
        if (token.Kind != JinjaTokenKind.Name)
            throw new JinjaException("tag name expected", token.Line);
        _pos++;
        switch (token.Text)
        {
            case "if": return If(token.Line);
            case "for": return For(token.Line);
            case "set": return Set(token.Line);
            case "macro": return Macro(token.Line);
            case "generation":
                ExpectBlockEnd();
                var body = Subparse(["endgeneration"]);
                _pos++;
                ExpectBlockEnd();
                return new GenerationNode(body, token.Line);
            case "break":
                ExpectBlockEnd();
                return new BreakNode(token.Line);
            case "continue":
                ExpectBlockEnd();
                return new ContinueNode(token.Line);
        }
        if (RefusedTags.Contains(token.Text))
            throw new JinjaException($"the {{% {token.Text} %}} tag is not supported", token.Line) { Unsupported = true };
        throw new JinjaException($"Encountered unknown tag '{token.Text}'", token.Line) { Unsupported = true };
    }

    private IfNode If(int line)
    {
        var branches = new List<(JinjaExpr, IReadOnlyList<JinjaNode>)>();
        IReadOnlyList<JinjaNode> otherwise = [];
        var test = ParseTuple(withCondition: false);
        ExpectBlockEnd();
        while (true)
        {
            var body = Subparse(["elif", "else", "endif"]);
            branches.Add((test, body));
            var tag = Next().Text;
            if (tag == "elif")
            {
                test = ParseTuple(withCondition: false);
                ExpectBlockEnd();
                continue;
            }
            if (tag == "else")
            {
                ExpectBlockEnd();
                otherwise = Subparse(["endif"]);
                _pos++;
            }
            ExpectBlockEnd();
            return new IfNode(branches, otherwise, line);
        }
    }

    private ForNode For(int line)
    {
        var targets = new List<string> { ExpectName() };
        while (SkipOperator(","))
        {
            if (Current.IsName("in"))
                break;
            targets.Add(ExpectName());
        }
        if (!SkipName("in"))
            throw new JinjaException($"expected 'in', got '{Describe(Current)}'", Current.Line);
        var iterable = ParseTuple(withCondition: false, extraEnd: "recursive");
        JinjaExpr? filter = SkipName("if") ? ParseExpression() : null;
        if (Current.IsName("recursive"))
            throw new JinjaException("recursive for loops are not supported", Current.Line) { Unsupported = true };
        ExpectBlockEnd();
        var body = Subparse(["endfor", "else"]);
        IReadOnlyList<JinjaNode> otherwise = [];
        if (Next().Text == "else")
        {
            ExpectBlockEnd();
            otherwise = Subparse(["endfor"]);
            _pos++;
        }
        ExpectBlockEnd();
        return new ForNode(targets, iterable, filter, body, otherwise, line);
    }

    private JinjaNode Set(int line)
    {
        var first = ExpectName();
        if (SkipOperator("."))
        {
            var attribute = ExpectName();
            ExpectOperator("=");
            var nsValue = ParseTuple(withCondition: true);
            ExpectBlockEnd();
            return new SetNode([attribute], first, nsValue, line);
        }
        var targets = new List<string> { first };
        while (SkipOperator(","))
            targets.Add(ExpectName());
        if (SkipOperator("="))
        {
            var value = ParseTuple(withCondition: true);
            ExpectBlockEnd();
            return new SetNode(targets, null, value, line);
        }
        if (Current.IsOperator("|"))
            throw new JinjaException("filtered {% set %} blocks are not supported", line) { Unsupported = true };
        ExpectBlockEnd();
        var body = Subparse(["endset"]);
        _pos++;
        ExpectBlockEnd();
        return new SetBlockNode(first, body, line);
    }

    private MacroNode Macro(int line)
    {
        var name = ExpectName();
        ExpectOperator("(");
        var parameters = new List<(string, JinjaExpr?)>();
        while (!SkipOperator(")"))
        {
            if (parameters.Count > 0)
                ExpectOperator(",");
            if (SkipOperator(")"))
                break;
            var parameter = ExpectName();
            parameters.Add((parameter, SkipOperator("=") ? ParseExpression() : null));
        }
        ExpectBlockEnd();
        var body = Subparse(["endmacro"]);
        _pos++;
        if (Current.Kind == JinjaTokenKind.Name)
            _pos++;
        ExpectBlockEnd();
        return new MacroNode(name, parameters, body, line);
    }

    private bool AtTupleEnd(string? extraEnd) =>
        Current.Kind is JinjaTokenKind.VariableEnd or JinjaTokenKind.BlockEnd or JinjaTokenKind.End
        || Current.IsOperator(")")
        || (extraEnd is not null && Current.IsName(extraEnd));

    /// <summary>One expression, or a tuple where commas separate several (jinja2's <c>parse_tuple</c>).</summary>
    private JinjaExpr ParseTuple(bool withCondition, string? extraEnd = null, bool explicitParentheses = false)
    {
        var line = Current.Line;
        var items = new List<JinjaExpr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
                ExpectOperator(",");
            if (AtTupleEnd(extraEnd))
                break;
            items.Add(withCondition ? ParseExpression() : ParseOr());
            if (Current.IsOperator(","))
                isTuple = true;
            else
                break;
        }
        if (!isTuple)
        {
            if (items.Count == 1)
                return items[0];
            if (!explicitParentheses)
                throw new JinjaException($"Expected an expression, got '{Describe(Current)}'", Current.Line);
        }
        return new TupleExpr(items, line);
    }

    private JinjaExpr ParseExpression()
    {
        var expr = ParseOr();
        while (Current.IsName("if"))
        {
            var line = Next().Line;
            var test = ParseOr();
            var otherwise = SkipName("else") ? ParseExpression() : null;
            expr = new ConditionalExpr(test, expr, otherwise, line);
        }
        return expr;
    }

    private JinjaExpr ParseOr()
    {
        var left = ParseAnd();
        while (SkipName("or"))
            left = new BinaryExpr("or", left, ParseAnd(), left.Line);
        return left;
    }

    private JinjaExpr ParseAnd()
    {
        var left = ParseNot();
        while (SkipName("and"))
            left = new BinaryExpr("and", left, ParseNot(), left.Line);
        return left;
    }

    private JinjaExpr ParseNot()
    {
        if (Current.IsName("not"))
        {
            var line = Next().Line;
            return new UnaryExpr("not", ParseNot(), line);
        }
        return ParseCompare();
    }

    private JinjaExpr ParseCompare()
    {
        var first = ParseMath1();
        var rest = new List<(string, JinjaExpr)>();
        while (true)
        {
            if (Current.Kind == JinjaTokenKind.Operator && Current.Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
                rest.Add((Next().Text, ParseMath1()));
            else if (SkipName("in"))
                rest.Add(("in", ParseMath1()));
            else if (Current.IsName("not") && Peek().IsName("in"))
            {
                _pos += 2;
                rest.Add(("notin", ParseMath1()));
            }
            else
                break;
        }
        return rest.Count == 0 ? first : new CompareExpr(first, rest, first.Line);
    }

    private JinjaExpr ParseMath1()
    {
        var left = ParseConcat();
        while (Current.Kind == JinjaTokenKind.Operator && Current.Text is "+" or "-")
            left = new BinaryExpr(Next().Text, left, ParseConcat(), left.Line);
        return left;
    }

    private JinjaExpr ParseConcat()
    {
        var left = ParseMath2();
        while (SkipOperator("~"))
            left = new BinaryExpr("~", left, ParseMath2(), left.Line);
        return left;
    }

    private JinjaExpr ParseMath2()
    {
        var left = ParsePow();
        while (Current.Kind == JinjaTokenKind.Operator && Current.Text is "*" or "/" or "//" or "%")
            left = new BinaryExpr(Next().Text, left, ParsePow(), left.Line);
        return left;
    }

    private JinjaExpr ParsePow()
    {
        var left = ParseUnary(withFilter: true);
        while (SkipOperator("**"))
            left = new BinaryExpr("**", left, ParseUnary(withFilter: true), left.Line);
        return left;
    }

    private JinjaExpr ParseUnary(bool withFilter)
    {
        JinjaExpr node;
        if (Current.Kind == JinjaTokenKind.Operator && Current.Text is "-" or "+")
        {
            var op = Next();
            node = new UnaryExpr(op.Text, ParseUnary(withFilter: false), op.Line);
        }
        else
            node = ParsePrimary();
        node = ParsePostfix(node);
        return withFilter ? ParseFilterExpr(node) : node;
    }

    private JinjaExpr ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case JinjaTokenKind.Name:
                return token.Text switch
                {
                    "true" or "True" => new LiteralExpr(true, token.Line),
                    "false" or "False" => new LiteralExpr(false, token.Line),
                    "none" or "None" => new LiteralExpr(null, token.Line),
                    _ => new NameExpr(token.Text, token.Line),
                };
            case JinjaTokenKind.String:
                var text = token.Text;
                while (Current.Kind == JinjaTokenKind.String)
                    text += Next().Text;
                return new LiteralExpr(text, token.Line);
            case JinjaTokenKind.Integer:
                if (!long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
                    throw new JinjaException($"the integer {token.Text} is too large", token.Line) { Unsupported = true };
                return new LiteralExpr(integer, token.Line);
            case JinjaTokenKind.Float:
                return new LiteralExpr(double.Parse(token.Text, CultureInfo.InvariantCulture), token.Line);
            case JinjaTokenKind.Operator when token.Text == "(":
                var inner = ParseTuple(withCondition: true, explicitParentheses: true);
                ExpectOperator(")");
                return inner;
            case JinjaTokenKind.Operator when token.Text == "[":
                var items = new List<JinjaExpr>();
                while (!SkipOperator("]"))
                {
                    if (items.Count > 0)
                        ExpectOperator(",");
                    if (SkipOperator("]"))
                        break;
                    items.Add(ParseExpression());
                }
                return new ListExpr(items, token.Line);
            case JinjaTokenKind.Operator when token.Text == "{":
                var pairs = new List<(JinjaExpr, JinjaExpr)>();
                while (!SkipOperator("}"))
                {
                    if (pairs.Count > 0)
                        ExpectOperator(",");
                    if (SkipOperator("}"))
                        break;
                    var key = ParseExpression();
                    ExpectOperator(":");
                    pairs.Add((key, ParseExpression()));
                }
                return new DictExpr(pairs, token.Line);
            default:
                throw new JinjaException($"unexpected '{Describe(token)}'", token.Line);
        }
    }

    private JinjaExpr ParsePostfix(JinjaExpr node)
    {
        while (true)
        {
            if (Current.IsOperator("."))
            {
                var line = Next().Line;
                var attribute = Next();
                node = attribute.Kind switch
                {
                    JinjaTokenKind.Name => new AttributeExpr(node, attribute.Text, line),
                    JinjaTokenKind.Integer => new ItemExpr(node, new LiteralExpr(long.Parse(attribute.Text, CultureInfo.InvariantCulture), line), line),
                    _ => throw new JinjaException($"expected name or number, got '{Describe(attribute)}'", line),
                };
            }
            else if (Current.IsOperator("["))
                node = ParseSubscript(node, Next().Line);
            else if (Current.IsOperator("("))
                node = ParseCall(node);
            else
                return node;
        }
    }

    private JinjaExpr ParseSubscript(JinjaExpr node, int line)
    {
        JinjaExpr? start = null, stop = null, step = null;
        var isSlice = false;
        if (!Current.IsOperator(":"))
            start = ParseExpression();
        if (SkipOperator(":"))
        {
            isSlice = true;
            if (!Current.IsOperator("]") && !Current.IsOperator(":"))
                stop = ParseExpression();
            if (SkipOperator(":") && !Current.IsOperator("]"))
                step = ParseExpression();
        }
        if (Current.IsOperator(","))
            throw new JinjaException("tuple subscripts are not supported", line) { Unsupported = true };
        ExpectOperator("]");
        return isSlice ? new SliceExpr(node, start, stop, step, line) : new ItemExpr(node, start!, line);
    }

    private (List<JinjaExpr> Args, List<(string, JinjaExpr)> Kwargs) ParseCallArguments()
    {
        ExpectOperator("(");
        var args = new List<JinjaExpr>();
        var kwargs = new List<(string, JinjaExpr)>();
        while (!SkipOperator(")"))
        {
            if (args.Count + kwargs.Count > 0)
                ExpectOperator(",");
            if (SkipOperator(")"))
                break;
            if (Current.IsOperator("*") || Current.IsOperator("**"))
                throw new JinjaException("*args and **kwargs in calls are not supported", Current.Line) { Unsupported = true };
            if (Current.Kind == JinjaTokenKind.Name && Peek().IsOperator("="))
            {
                var name = Next().Text;
                _pos++;
                kwargs.Add((name, ParseExpression()));
            }
            else
            {
                if (kwargs.Count > 0)
                    throw new JinjaException("positional argument follows keyword argument", Current.Line);
                args.Add(ParseExpression());
            }
        }
        return (args, kwargs);
    }

    private CallExpr ParseCall(JinjaExpr node)
    {
        var line = Current.Line;
        var (args, kwargs) = ParseCallArguments();
        return new CallExpr(node, args, kwargs, line);
    }

    private JinjaExpr ParseFilterExpr(JinjaExpr node)
    {
        while (true)
        {
            if (Current.IsOperator("|"))
            {
                var line = Next().Line;
                var name = DottedName();
                if (!JinjaFilters.IsKnown(name))
                    throw new JinjaException($"the filter '{name}' is not supported", line) { Unsupported = true };
                var (args, kwargs) = Current.IsOperator("(") ? ParseCallArguments() : ([], []);
                node = new FilterExpr(node, name, args, kwargs, line);
            }
            else if (Current.IsName("is"))
                node = ParseTest(node);
            else if (Current.IsOperator("("))
                node = ParseCall(node);
            else
                return node;
        }
    }

    private string DottedName()
    {
        var name = ExpectName();
        while (SkipOperator("."))
            name += "." + ExpectName();
        return name;
    }

    private TestExpr ParseTest(JinjaExpr node)
    {
        var line = Next().Line;
        var negated = SkipName("not");
        var name = DottedName();
        if (!JinjaTests.IsKnown(name))
            throw new JinjaException($"the test '{name}' is not supported", line) { Unsupported = true };
        var args = new List<JinjaExpr>();
        if (Current.IsOperator("("))
        {
            var (a, kwargs) = ParseCallArguments();
            if (kwargs.Count > 0)
                throw new JinjaException($"keyword arguments to the test '{name}' are not supported", line) { Unsupported = true };
            args = a;
        }
        else if ((Current.Kind is JinjaTokenKind.Name or JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float
                  || Current.IsOperator("(") || Current.IsOperator("[") || Current.IsOperator("{"))
                 && !Current.IsName("else") && !Current.IsName("or") && !Current.IsName("and"))
        {
            if (Current.IsName("is"))
                throw new JinjaException("You cannot chain multiple tests with is", line);
            args.Add(ParsePostfix(ParsePrimary()));
        }
        return new TestExpr(node, name, args, negated, line);
    }
}
