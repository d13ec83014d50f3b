using System.Globalization;
using System.Text.RegularExpressions;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// The values of GitHub's expression language and how they convert: null, booleans, numbers (<see cref="double"/>),
/// strings, arrays (<see cref="List{T}"/>, a <see cref="FilteredArray"/> after <c>.*</c>) and objects (string-keyed
/// dictionaries). Equality is loose: values of different kinds are compared as numbers, strings ignore case, arrays and
/// objects equal only themselves. (docs.github.com/actions/reference/workflows-and-actions/expressions#operators)
/// </summary>
internal static partial class ExpressionValues
{
    /// <summary>
    /// A value from a context as the language sees it: the stand-in payloads a test builds in C# may hold other .NET
    /// numbers (an <c>int</c> pull-request number), arrays and dictionaries of other value types, which are a number, an
    /// array and an object here.
    /// </summary>
    public static object? Of(object? value) => value switch
    {
        null or bool or double or string or List<object?> or IReadOnlyDictionary<string, object?> or IDictionary<string, object?> => value,
        sbyte or byte or short or ushort or int or uint or long or ulong or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        System.Collections.IDictionary map => map.Keys.Cast<object>().ToDictionary(k => $"{k}", k => map[k], StringComparer.OrdinalIgnoreCase),
        System.Collections.IEnumerable items => items.Cast<object?>().ToList(),
        _ => value,
    };

    /// <summary>Falsy: <c>false</c>, <c>0</c>, <c>-0</c>, <c>NaN</c>, <c>''</c> and <c>null</c>; everything else, arrays and objects included, is truthy.</summary>
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    /// <summary>
    /// A value as text, where GitHub casts to a string (<c>${{ }}</c> in a string, <c>format</c>, <c>contains</c>, <c>join</c>):
    /// null is '', booleans 'true' and 'false', numbers in decimal (exponential when large). GitHub does not cast an array
    /// or object; the harness refuses it rather than guess (<c>toJSON</c> makes one text).
    /// </summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d == 0 ? "0" : d.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new NotSupportedException($"an {KindOf(value)} is not converted to a string (use toJSON)"),
    };

    /// <summary>
    /// A value as a number: null 0, true 1, false 0, a string parsed as a JSON number (also hexadecimal <c>0x</c>,
    /// octal <c>0o</c>, <c>Infinity</c>; blank is 0), anything else NaN.
    /// </summary>
    public static double Number(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        double d => d,
        string s => ParseNumber(s.Trim()) ?? double.NaN,
        _ => double.NaN,
    };

    /// <summary><c>==</c>: same kind compared as that kind (strings ignoring case), different kinds as numbers.</summary>
    public static bool Equal(object? left, object? right)
    {
        if (KindOf(left) != KindOf(right))
            return Number(left) == Number(right);
        return (left, right) switch
        {
            (null, null) => true,
            (bool x, bool y) => x == y,
            (double x, double y) => x == y,
            (string x, string y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase),
            _ => ReferenceEquals(left, right),
        };
    }

    /// <summary>
    /// The sign of <c>left</c> against <c>right</c> for <c>&lt; &lt;= &gt; &gt;=</c>, or null where they do not compare
    /// (NaN, arrays, objects), which makes all four false. Strings compare ignoring case; mixed kinds as numbers.
    /// </summary>
    public static int? Compare(object? left, object? right)
    {
        if (left is string x && right is string y)
            return Math.Sign(string.Compare(x, y, StringComparison.OrdinalIgnoreCase));
        if (KindOf(left) is "array" or "object" || KindOf(right) is "array" or "object")
            return null;
        var (a, b) = (Number(left), Number(right));
        return double.IsNaN(a) || double.IsNaN(b) ? null : a.CompareTo(b);
    }

    /// <summary>A number literal or a string that holds one; null when it is neither.</summary>
    public static double? ParseNumber(string text)
    {
        if (text.Length == 0)
            return 0;
        var sign = 1.0;
        var body = text;
        if (body[0] is '-' or '+')
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
        }
        if (body == "Infinity")
            return sign * double.PositiveInfinity;
        if (body == "NaN")
            return double.NaN;
        if (body.StartsWith("0x", StringComparison.Ordinal))
            return long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && body.Length > 2 ? sign * hex : null;
        if (body.StartsWith("0o", StringComparison.Ordinal))
            return body.Length > 2 && body[2..].All(c => c is >= '0' and <= '7') ? sign * body[2..].Aggregate(0L, (n, c) => (n * 8) + (c - '0')) : null;
        return JsonNumber().IsMatch(body) && double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
            ? sign * d
            : null;
    }

    /// <summary>The kind of a value, as GitHub's documentation names them.</summary>
    public static string KindOf(object? value) => value switch
    {
        null => "null",
        bool => "boolean",
        double => "number",
        string => "string",
        List<object?> => "array",
        IReadOnlyDictionary<string, object?> or IDictionary<string, object?> => "object",
        _ => throw new NotSupportedException($"{value.GetType().Name} is not a value of the expression language"),
    };

    // digits, an optional fraction, an optional exponent (the sign is taken off first); GitHub also reads ".5"
    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
