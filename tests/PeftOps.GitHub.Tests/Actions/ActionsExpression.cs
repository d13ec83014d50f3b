using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// GitHub Actions' expression language, as much of it as the workflows use: context paths, string and number
/// literals, the object filter <c>.*</c>, <c>== != &amp;&amp; || !</c>, parentheses and the functions <c>format</c>, <c>fromJSON</c>, <c>toJSON</c>,
/// <c>always</c>, <c>success</c>, <c>startsWith</c>, <c>contains</c>, <c>hashFiles</c>. Anything else throws, so a workflow
/// that outgrows the harness fails its test instead of being misread.
/// (docs.github.com/actions/learn-github-actions/expressions)
/// </summary>
internal sealed class ActionsExpression
{
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, object?> _contexts;
    private int _at;

    private ActionsExpression(string text, IReadOnlyDictionary<string, object?> contexts) => (_text, _contexts) = (text, contexts);

    public static object? Evaluate(string expression, IReadOnlyDictionary<string, object?> contexts)
    {
        var parser = new ActionsExpression(expression, contexts);
        var value = parser.Or();
        parser.Space();
        if (parser._at != expression.Length)
            throw new NotSupportedException($"expression '{expression}': unexpected '{expression[parser._at..]}'");
        return value;
    }

    /// <summary>Replaces every <c>${{ ... }}</c> in <paramref name="text"/> with its value as a string.</summary>
    public static string Interpolate(string text, IReadOnlyDictionary<string, object?> contexts)
    {
        var result = new StringBuilder();
        var at = 0;
        while (text.IndexOf("${{", at, StringComparison.Ordinal) is var open and >= 0)
        {
            var close = text.IndexOf("}}", open, StringComparison.Ordinal);
            result.Append(text, at, open - at).Append(Text(Evaluate(text[(open + 3)..close].Trim(), contexts)));
            at = close + 2;
        }
        return result.Append(text[at..]).ToString();
    }

    /// <summary>An <c>if:</c> value, with or without <c>${{ }}</c>.</summary>
    public static bool Condition(string? condition, IReadOnlyDictionary<string, object?> contexts)
    {
        if (string.IsNullOrWhiteSpace(condition))
            return true;
        var text = condition.Trim();
        if (text.StartsWith("${{", StringComparison.Ordinal) && text.EndsWith("}}", StringComparison.Ordinal))
            text = text[3..^2];
        return Truthy(Evaluate(text.Trim(), contexts));
    }

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0,
        _ => true,
    };

    public static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => JsonSerializer.Serialize(value),
    };

    private object? Or()
    {
        var left = And();
        while (Take("||"))
        {
            var right = And();
            left = Truthy(left) ? left : right;
        }
        return left;
    }

    private object? And()
    {
        var left = Equality();
        while (Take("&&"))
        {
            var right = Equality();
            left = Truthy(left) ? right : left;
        }
        return left;
    }

    private object? Equality()
    {
        var left = Unary();
        if (Take("=="))
            return Same(left, Unary());
        if (Take("!="))
            return !Same(left, Unary());
        return left;
    }

    private object? Unary() => Take("!") ? !Truthy(Unary()) : Primary();

    private object? Primary()
    {
        Space();
        if (Take("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (Peek() == '\'')
            return StringLiteral();
        if (char.IsDigit(Peek()) || Peek() == '-')
            return Number();
        var name = Identifier();
        switch (name)
        {
            case "true": return true;
            case "false": return false;
            case "null": return null;
        }
        if (Take("("))
            return Call(name);
        object? value = _contexts.TryGetValue(name, out var context) ? context : throw new NotSupportedException($"unknown context '{name}'");
        while (true)
        {
            if (Take("."))
                value = Take("*") ? Elements(value) : Member(value, Identifier());
            else if (Take("["))
            {
                var key = Or();
                Expect("]");
                value = Member(value, Text(key));
            }
            else
                return value;
        }
    }

    private object? Call(string name)
    {
        var args = new List<object?>();
        Space();
        if (!Take(")"))
        {
            do
                args.Add(Or());
            while (Take(","));
            Expect(")");
        }
        return name.ToLowerInvariant() switch
        {
            "always" or "success" => true,
            "failure" or "cancelled" => false,
            "format" => Format(Text(args[0]), args.Skip(1).Select(Text).ToList()),
            "fromjson" => FromJson(JsonDocument.Parse(Text(args[0])).RootElement),
            "tojson" => JsonSerializer.Serialize(args[0]),
            "startswith" => Text(args[0]).StartsWith(Text(args[1]), StringComparison.OrdinalIgnoreCase),
            "contains" => args[0] is List<object?> list ? list.Any(v => Same(v, args[1])) : Text(args[0]).Contains(Text(args[1]), StringComparison.OrdinalIgnoreCase),
            "hashfiles" => HashFiles.Of(Text(Member(_contexts["github"], "workspace")), args.Select(Text).ToList()),
            _ => throw new NotSupportedException($"function {name}() is not supported by the harness"),
        };
    }

    private static string Format(string format, IReadOnlyList<string> args)
    {
        var text = format.Replace("{{", "\u0001", StringComparison.Ordinal).Replace("}}", "\u0002", StringComparison.Ordinal);
        for (var i = 0; i < args.Count; i++)
            text = text.Replace($"{{{i}}}", args[i], StringComparison.Ordinal);
        return text.Replace("\u0001", "{", StringComparison.Ordinal).Replace("\u0002", "}", StringComparison.Ordinal);
    }

    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>The object filter <c>.*</c>: a list's items or a mapping's values, as a list (<c>labels.*.name</c>).</summary>
    private static List<object?> Elements(object? value) => value switch
    {
        List<object?> list => list,
        IReadOnlyDictionary<string, object?> map => [.. map.Values],
        IDictionary<string, object?> map => [.. map.Values],
        _ => [],
    };

    private static object? Member(object? value, string name) => value switch
    {
        List<object?> filtered => filtered.Select(item => Member(item, name)).ToList(),
        IReadOnlyDictionary<string, object?> map => map.TryGetValue(name, out var v) ? v : null,
        IDictionary<string, object?> map => map.TryGetValue(name, out var v) ? v : null,
        _ => null,
    };

    // GitHub compares strings case-insensitively and coerces mixed types to numbers; the workflows compare strings
    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (string x, string y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase),
        (bool x, bool y) => x == y,
        (double x, double y) => x == y,
        _ => string.Equals(Text(a), Text(b), StringComparison.OrdinalIgnoreCase),
    };

    private string StringLiteral()
    {
        Expect("'");
        var text = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length)
                throw new NotSupportedException($"expression '{_text}': unterminated string");
            if (_text[_at] == '\'')
            {
                if (_at + 1 < _text.Length && _text[_at + 1] == '\'')
                {
                    text.Append('\'');
                    _at += 2;
                    continue;
                }
                _at++;
                return text.ToString();
            }
            text.Append(_text[_at++]);
        }
    }

    private double Number()
    {
        var start = _at;
        while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] is '.' or '-'))
            _at++;
        return double.Parse(_text[start.._at], CultureInfo.InvariantCulture);
    }

    private string Identifier()
    {
        Space();
        var start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or '-'))
            _at++;
        if (_at == start)
            throw new NotSupportedException($"expression '{_text}': expected a name at '{_text[start..]}'");
        return _text[start.._at];
    }

    private char Peek()
    {
        Space();
        return _at < _text.Length ? _text[_at] : '\0';
    }

    private bool Take(string token)
    {
        Space();
        if (string.CompareOrdinal(_text, _at, token, 0, token.Length) != 0)
            return false;
        if (token == "!" && _at + 1 < _text.Length && _text[_at + 1] == '=')
            return false;
        _at += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Take(token))
            throw new NotSupportedException($"expression '{_text}': expected '{token}' at {_at}");
    }

    private void Space()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            _at++;
    }
}
