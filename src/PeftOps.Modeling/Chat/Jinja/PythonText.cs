using System.Globalization;
using System.Text;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// Python's text forms of values, which Jinja prints: <c>str()</c> (<c>None</c>, <c>True</c>, <c>1.0</c>,
/// <c>['a', 1]</c>) and <c>repr()</c> of strings inside containers, and what Python calls whitespace.
/// </summary>
internal static class PythonText
{
    /// <summary>The characters Python's <c>str.isspace()</c> accepts in the Basic Multilingual Plane's common range.</summary>
    public static readonly char[] WhitespaceChars =
    [
        ' ', '\t', '\n', '\v', '\f', '\r', '\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\xa0', '\u1680', '\u2000', '\u2001',
        '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029',
        '\u202f', '\u205f', '\u3000',
    ];

    public static bool IsWhitespace(char c) => Array.IndexOf(WhitespaceChars, c) >= 0;

    /// <summary>Python's <c>str(value)</c>; Jinja's Undefined prints as nothing.</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        JinjaUndefined => "",
        _ => Repr(value),
    };

    /// <summary>Python's <c>repr(value)</c>.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => Float(d),
        string s => QuoteString(s),
        JinjaUndefined => "",
        object?[] tuple => tuple.Length == 1 ? $"({Repr(tuple[0])},)" : "(" + string.Join(", ", tuple.Select(Repr)) + ")",
        List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        Dictionary<object, object?> dict => "{" + string.Join(", ", dict.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        JinjaNamespace ns => "<Namespace " + string.Join(", ", ns.Attributes.Select(kv => kv.Key + "=" + Repr(kv.Value))) + ">",
        _ => value.ToString() ?? "",
    };

    /// <summary>Python's float repr: the shortest digits that round-trip, exponent form below 1e-4 and from 1e16.</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d))
            return "nan";
        if (double.IsInfinity(d))
            return d > 0 ? "inf" : "-inf";
        if (d == 0)
            return double.IsNegative(d) ? "-0.0" : "0.0";
        // shortest round-trip digits: .NET's "R" form, split into digits and exponent
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        var sign = shortest.StartsWith('-') ? "-" : "";
        var body = sign.Length > 0 ? shortest[1..] : shortest;
        var exp = 0;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(body[(e + 1)..], CultureInfo.InvariantCulture);
            body = body[..e];
        }
        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? body : body[..dot] + body[(dot + 1)..];
        var pointAt = (dot < 0 ? body.Length : dot) + exp;
        var lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        pointAt -= lead;
        var decimalExponent = pointAt - 1;
        if (decimalExponent < -4 || decimalExponent >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{mantissa}e{(decimalExponent < 0 ? "-" : "+")}{Math.Abs(decimalExponent):D2}";
        }
        if (pointAt <= 0)
            return sign + "0." + new string('0', -pointAt) + digits;
        if (pointAt >= digits.Length)
            return sign + digits + new string('0', pointAt - digits.Length) + ".0";
        return sign + digits[..pointAt] + "." + digits[pointAt..];
    }

    /// <summary>Python's repr of a string: single quotes unless it holds a single quote and no double quote.</summary>
    public static string QuoteString(string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                        sb.Append('\\').Append(c);
                    else if (c < 0x20 || c == 0x7f)
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }
}
