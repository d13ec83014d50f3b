using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// The filters chat templates use, with jinja2's semantics (and transformers' <c>tojson</c>). A filter not listed in
/// <see cref="IsKnown"/> is refused, naming it, when the template is parsed.
/// </summary>
internal static partial class JinjaFilters
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "default", "d", "length", "count", "upper", "lower", "capitalize", "title", "trim", "tojson", "join", "replace",
        "string", "int", "float", "first", "last", "list", "reverse", "items", "selectattr", "rejectattr", "select",
        "reject", "map", "abs", "round", "indent", "safe", "sort", "unique", "min", "max", "sum", "dictsort",
    };

    public static bool IsKnown(string name) => Known.Contains(name);

    public static object? Apply(string name, object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int line)
    {
        object? Arg(int i, string key, object? otherwise = null) => i < args.Count ? args[i] : kwargs.TryGetValue(key, out var v) ? v : otherwise;
        switch (name)
        {
            case "default" or "d":
                return value is JinjaUndefined || JinjaValues.Truthy(Arg(1, "boolean", false)) && !JinjaValues.Truthy(value) ? Arg(0, "default_value", "") : value;
            case "length" or "count": return JinjaValues.Length(value, line);
            case "upper": return PythonText.Str(value).ToUpperInvariant();
            case "lower": return PythonText.Str(value).ToLowerInvariant();
            case "capitalize": return PythonText.Str(value) is var c && c.Length > 0 ? char.ToUpperInvariant(c[0]) + c[1..].ToLowerInvariant() : "";
            case "title": return Title(PythonText.Str(value));
            case "trim": return Arg(0, "chars") is string chars ? PythonText.Str(value).Trim(chars.ToCharArray()) : PythonText.Str(value).Trim(PythonText.WhitespaceChars);
            case "tojson":
                if (JinjaValues.Truthy(Arg(0, "ensure_ascii", false)))
                    throw new JinjaException("tojson(ensure_ascii=True) is not supported", line) { Unsupported = true };
                return JinjaJson.Dumps(JinjaValues.Defined(value, line), Arg(1, "indent"), Arg(2, "separators"), JinjaValues.Truthy(Arg(3, "sort_keys", false)), line);
            case "join":
                var parts = JinjaValues.Iterate(value, line);
                if (Arg(1, "attribute") is { } attribute)
                    parts = parts.Select(p => AttributePath(p, attribute, line)).ToList();
                return string.Join(PythonText.Str(Arg(0, "d", "")), parts.Select(PythonText.Str));
            case "replace":
                return JinjaMethods.Replace(PythonText.Str(value), PythonText.Str(Arg(0, "old")), PythonText.Str(Arg(1, "new")), Arg(2, "count") is long n ? n : -1);
            case "string": return PythonText.Str(value);
            case "int": return ToInt(value, Arg(0, "default", 0L), Arg(1, "base", 10L) is long b ? (int)b : 10);
            case "float": return ToFloat(value, Arg(0, "default", 0.0));
            case "first": return JinjaValues.Iterate(value, line) is { Count: > 0 } f ? f[0] : new JinjaUndefined("No first item, sequence was empty.");
            case "last": return JinjaValues.Iterate(value, line) is { Count: > 0 } l ? l[^1] : new JinjaUndefined("No last item, sequence was empty.");
            case "list": return JinjaValues.Iterate(value, line).ToList();
            case "reverse": return value is string s ? string.Concat(JinjaValues.Characters(s).AsEnumerable().Reverse()) : JinjaValues.Iterate(value, line).Reverse().ToList();
            case "items":
                return value switch
                {
                    JinjaUndefined => new List<object?>(),
                    Dictionary<object, object?> dict => dict.Select(kv => (object?)new object?[] { kv.Key, kv.Value }).ToList(),
                    _ => throw new JinjaException("Can only get item pairs from a mapping.", line),
                };
            case "selectattr" or "rejectattr":
                var path = Arg(0, "attribute") ?? throw new JinjaException($"{name} needs an attribute", line);
                return Select(value, item => AttributePath(item, path, line), args.Skip(1).ToList(), name == "selectattr", line);
            case "select" or "reject":
                return Select(value, item => item, args, name == "select", line);
            case "map":
                return Map(value, args, kwargs, line);
            case "abs": return JinjaValues.Defined(value, line) switch { long v => (object)Math.Abs(v), double v => Math.Abs(v), bool v => v ? 1L : 0L, _ => throw new JinjaException($"bad operand type for abs(): '{JinjaValues.TypeName(value)}'", line) };
            case "round": return Round(value, Arg(0, "precision", 0L), PythonText.Str(Arg(1, "method", "common")), line);
            case "indent": return Indent(PythonText.Str(value), Arg(0, "width", 4L), JinjaValues.Truthy(Arg(1, "first", false)), JinjaValues.Truthy(Arg(2, "blank", false)));
            case "safe": return value;
            case "sort": return Sort(value, JinjaValues.Truthy(Arg(0, "reverse", false)), JinjaValues.Truthy(Arg(1, "case_sensitive", false)), Arg(2, "attribute"), line);
            case "unique": return Unique(value, line);
            case "min" or "max":
                var sorted = Sort(value, name == "max", false, Arg(1, "attribute"), line);
                return sorted.Count > 0 ? sorted[0] : new JinjaUndefined($"No aggregated item, sequence was empty.");
            case "sum": return JinjaValues.Iterate(value, line).Aggregate(Arg(1, "start", 0L), (acc, x) => JinjaOperators.Binary("+", acc, Arg(0, "attribute") is { } a ? AttributePath(x, a, line) : x, line));
            case "dictsort":
                if (value is not Dictionary<object, object?> toSort)
                    throw new JinjaException("You can only sort by either \"key\" or \"value\"", line);
                return Sort(toSort.Select(kv => (object?)new object?[] { kv.Key, kv.Value }).ToList(), JinjaValues.Truthy(Arg(2, "reverse", false)), JinjaValues.Truthy(Arg(0, "case_sensitive", false)), PythonText.Str(Arg(1, "by", "key")) == "value" ? 1L : 0L, line);
        }
        throw new JinjaException($"the filter '{name}' is not supported", line) { Unsupported = true };
    }

    [GeneratedRegex(@"([-\s({\[<]+)")]
    private static partial Regex WordBeginning();

    /// <summary>jinja2's <c>title</c>: each word (split at spaces, dashes and opening brackets) upper-cased first, lower-cased after.</summary>
    private static string Title(string s) => string.Concat(WordBeginning().Split(s).Where(p => p.Length > 0)
        .Select(p => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));

    /// <summary>jinja2's attribute getter: <c>"a.b"</c> walks <c>x['a']['b']</c>, digits as indices.</summary>
    private static object? AttributePath(object? item, object? path, int line)
    {
        if (path is not string dotted)
            return JinjaOperators.Item(item, path, line);
        foreach (var part in dotted.Split('.'))
            item = JinjaOperators.Item(item, long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : part, line);
        return item;
    }

    private static List<object?> Select(object? value, Func<object?, object?> pick, IReadOnlyList<object?> testArgs, bool keep, int line)
    {
        var test = testArgs.Count > 0 ? testArgs[0] as string ?? throw new JinjaException("a test name must be a string", line) : null;
        if (test is not null && !JinjaTests.IsKnown(test))
            throw new JinjaException($"the test '{test}' is not supported", line) { Unsupported = true };
        var rest = testArgs.Skip(1).ToList();
        return JinjaValues.Iterate(value, line)
            .Where(item => (test is null ? JinjaValues.Truthy(pick(item)) : JinjaTests.Apply(test, pick(item), rest, line)) == keep)
            .ToList();
    }

    private static List<object?> Map(object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int line)
    {
        var items = JinjaValues.Iterate(value, line);
        if (args.Count == 0 && kwargs.TryGetValue("attribute", out var attribute))
        {
            var hasDefault = kwargs.TryGetValue("default", out var fallback);
            return items.Select(item => AttributePath(item, attribute, line) is JinjaUndefined && hasDefault ? fallback : AttributePath(item, attribute, line)).ToList();
        }
        if (args.Count == 0 || args[0] is not string filter)
            throw new JinjaException("map needs a filter name or attribute=", line);
        if (!IsKnown(filter))
            throw new JinjaException($"the filter '{filter}' is not supported", line) { Unsupported = true };
        var rest = args.Skip(1).ToList();
        var named = kwargs.Where(kv => kv.Key != "attribute").ToDictionary();
        return items.Select(item => Apply(filter, item, rest, named, line)).ToList();
    }

    private static object? ToInt(object? value, object? fallback, int numberBase)
    {
        switch (value)
        {
            case bool b: return b ? 1L : 0L;
            case long l: return l;
            case double d when !double.IsNaN(d) && !double.IsInfinity(d): return (long)Math.Truncate(d);
            case string s:
                var t = s.Trim(PythonText.WhitespaceChars).Replace("_", "", StringComparison.Ordinal);
                try
                {
                    if (numberBase == 10 && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                        return parsed;
                    if (numberBase != 10 && t.Length > 0)
                        return Convert.ToInt64(t, numberBase);
                }
                catch (FormatException)
                {
                }
                return ToFloat(s, null) is double f ? (long)Math.Truncate(f) : fallback;
        }
        return fallback;
    }

    private static object? ToFloat(object? value, object? fallback) => value switch
    {
        bool b => b ? 1.0 : 0.0,
        long l => (double)l,
        double d => d,
        string s when double.TryParse(s.Trim(PythonText.WhitespaceChars), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => fallback,
    };

    private static double Round(object? value, object? precision, string method, int line)
    {
        var v = JinjaValues.IsNumber(value) ? JinjaValues.ToDouble(value) : throw new JinjaException("round needs a number", line);
        var digits = (int)(precision is long p ? p : 0);
        var scale = Math.Pow(10, digits);
        return method switch
        {
            "common" => Math.Round(v, Math.Clamp(digits, 0, 15), MidpointRounding.ToEven),
            "ceil" => Math.Ceiling(v * scale) / scale,
            "floor" => Math.Floor(v * scale) / scale,
            _ => throw new JinjaException("method must be 'common', 'ceil' or 'floor'", line),
        };
    }

    private static string Indent(string s, object? width, bool first, bool blank)
    {
        var pad = width switch { long n => new string(' ', (int)n), string w => w, _ => "    " };
        var lines = s.Split('\n');
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
                sb.Append('\n');
            var indent = (i > 0 || first) && (blank || lines[i].Length > 0 && lines[i].AsSpan().IndexOfAnyExcept(PythonText.WhitespaceChars) >= 0);
            sb.Append(indent ? pad : "").Append(lines[i]);
        }
        return sb.ToString();
    }

    private static List<object?> Sort(object? value, bool reverse, bool caseSensitive, object? attribute, int line)
    {
        object? Key(object? item)
        {
            var k = attribute is null ? item : AttributePath(item, attribute, line);
            return !caseSensitive && k is string s ? s.ToLowerInvariant() : k;
        }
        var items = JinjaValues.Iterate(value, line).ToList();
        var sorted = items.Select((item, i) => (item, i)).ToList();
        sorted.Sort((a, b) =>
        {
            var c = JinjaValues.Compare(Key(a.item), Key(b.item), "<", line);
            return c != 0 ? (reverse ? -c : c) : a.i.CompareTo(b.i);
        });
        return sorted.Select(p => p.item).ToList();
    }

    private static List<object?> Unique(object? value, int line)
    {
        var result = new List<object?>();
        foreach (var item in JinjaValues.Iterate(value, line))
            if (!result.Any(r => JinjaValues.Equals(item is string a ? a.ToLowerInvariant() : item, r is string b ? b.ToLowerInvariant() : r)))
                result.Add(item);
        return result;
    }
}
