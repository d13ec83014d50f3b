namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// Parses GitHub's expression language into an <see cref="ExpressionNode"/>, with GitHub's precedence, highest first:
/// grouping <c>( )</c>, index <c>[ ]</c> and property <c>.</c>; <c>!</c>; <c>&lt; &lt;= &gt; &gt;=</c>; <c>== !=</c>;
/// <c>&amp;&amp;</c>; <c>||</c>, each left to right. Literals: <c>true</c>, <c>false</c>, <c>null</c>, numbers as JSON writes
/// them (and <c>0xff</c>, <c>0o17</c>, <c>NaN</c>, <c>Infinity</c>), strings in single quotes with <c>''</c> for a quote.
/// What GitHub refuses (a double-quoted string, <c>=</c>, an unknown function, a wrong argument count) throws
/// <see cref="FormatException"/> before anything is evaluated.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly string _text;
    private readonly bool _statusChecksAllowed;
    private int _at;

    private ExpressionParser(string text, int start, bool statusChecksAllowed) => (_text, _at, _statusChecksAllowed) = (text, start, statusChecksAllowed);

    /// <summary>The whole of <paramref name="text"/> as one expression.</summary>
    public static ExpressionNode Parse(string text, bool statusChecksAllowed)
    {
        var parser = new ExpressionParser(text, 0, statusChecksAllowed);
        var node = parser.Or();
        parser.Space();
        return parser._at == text.Length ? node : throw parser.Error("unexpected text");
    }

    /// <summary>The expression that starts at <paramref name="start"/>, just after a <c>${{</c>; <c>End</c> is just after its <c>}}</c>.</summary>
    public static (ExpressionNode Node, int End) ParseEmbedded(string text, int start, bool statusChecksAllowed)
    {
        var parser = new ExpressionParser(text, start, statusChecksAllowed);
        var node = parser.Or();
        parser.Expect("}}");
        return (node, parser._at);
    }

    private ExpressionNode Or()
    {
        var left = And();
        while (Take("||"))
            left = new ExpressionNode.Logical(false, left, And());
        return left;
    }

    private ExpressionNode And()
    {
        var left = Equality();
        while (Take("&&"))
            left = new ExpressionNode.Logical(true, left, Equality());
        return left;
    }

    private ExpressionNode Equality()
    {
        var left = Relation();
        while (TakeAny("==", "!=") is { } op)
            left = new ExpressionNode.Comparison(op, left, Relation());
        return left;
    }

    private ExpressionNode Relation()
    {
        var left = Unary();
        while (TakeAny("<=", ">=", "<", ">") is { } op)
            left = new ExpressionNode.Comparison(op, left, Unary());
        return left;
    }

    private ExpressionNode Unary()
    {
        Space();
        if (Peek(0) == '!' && Peek(1) != '=')
        {
            _at++;
            return new ExpressionNode.Not(Unary());
        }
        return Postfix(Primary());
    }

    private ExpressionNode Postfix(ExpressionNode target)
    {
        while (true)
        {
            if (Take("."))
                target = Take("*") ? new ExpressionNode.Filter(target) : new ExpressionNode.Property(target, Name("a property name"));
            else if (Take("["))
            {
                target = Take("*") ? new ExpressionNode.Filter(target) : new ExpressionNode.Index(target, Or());
                Expect("]");
            }
            else
                return target;
        }
    }

    private ExpressionNode Primary()
    {
        Space();
        var c = Peek(0);
        if (Take("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (c == '\'')
            return new ExpressionNode.Literal(StringLiteral());
        if (c == '"')
            throw Error("strings are written in single quotes");
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))) || (c is '-' or '+' && (char.IsAsciiDigit(Peek(1)) || Peek(1) is '.' or 'I')))
            return new ExpressionNode.Literal(NumberLiteral());
        var name = Name("a value");
        if (Peek(0) == '(')
            return Call(name);
        return name switch
        {
            "true" => new ExpressionNode.Literal(true),
            "false" => new ExpressionNode.Literal(false),
            "null" => new ExpressionNode.Literal(null),
            "NaN" => new ExpressionNode.Literal(double.NaN),
            "Infinity" => new ExpressionNode.Literal(double.PositiveInfinity),
            _ => new ExpressionNode.Context(name),
        };
    }

    private ExpressionNode.Call Call(string name)
    {
        Expect("(");
        var args = new List<ExpressionNode>();
        if (!Take(")"))
        {
            do
                args.Add(Or());
            while (Take(","));
            Expect(")");
        }
        ExpressionFunctions.Check(name, args.Count, _statusChecksAllowed);
        return new ExpressionNode.Call(name, args);
    }

    private string StringLiteral()
    {
        var start = _at++;
        var text = new System.Text.StringBuilder();
        while (_at < _text.Length)
        {
            if (_text[_at] == '\'' && Peek(1) == '\'')
            {
                text.Append('\'');
                _at += 2;
            }
            else if (_text[_at] == '\'')
            {
                _at++;
                return text.ToString();
            }
            else
                text.Append(_text[_at++]);
        }
        _at = start;
        throw Error("unterminated string");
    }

    private double NumberLiteral()
    {
        var start = _at;
        _at++;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '.' || (_text[_at] is '-' or '+' && _text[_at - 1] is 'e' or 'E')))
            _at++;
        var token = _text[start.._at];
        if (ExpressionValues.ParseNumber(token) is { } number)
            return number;
        _at = start;
        throw Error($"'{token}' is not a number");
    }

    private string Name(string expected)
    {
        Space();
        var start = _at;
        if (_at < _text.Length && (char.IsAsciiLetter(_text[_at]) || _text[_at] == '_'))
        {
            while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] is '_' or '-'))
                _at++;
        }
        return _at > start ? _text[start.._at] : throw Error($"expected {expected}");
    }

    private char Peek(int ahead) => _at + ahead < _text.Length ? _text[_at + ahead] : '\0';

    private bool Take(string token)
    {
        Space();
        if (string.CompareOrdinal(_text, _at, token, 0, token.Length) != 0)
            return false;
        _at += token.Length;
        return true;
    }

    private string? TakeAny(params string[] tokens) => tokens.FirstOrDefault(Take);

    private void Expect(string token)
    {
        if (!Take(token))
            throw Error($"expected '{token}'");
    }

    private void Space()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            _at++;
    }

    private FormatException Error(string what) =>
        new($"expression '{_text}': {what} at {_at}{(_at < _text.Length ? $" ('{_text[_at..Math.Min(_text.Length, _at + 12)]}')" : " (the end)")}");
}
