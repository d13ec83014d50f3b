using System.Globalization;
using System.Text;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// transformers' <c>tojson</c> filter, which replaces jinja2's: Python's
/// <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)</c>, so non-ASCII text
/// stays as it is, <c>&lt;</c> is not escaped, and items are separated by <c>", "</c> (<c>","</c> with an indent).
/// </summary>
internal static class JinjaJson
{
    public static string Dumps(object? value, object? indent, object? separators, bool sortKeys, int line)
    {
        var indentText = indent switch
        {
            null => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            string s => s,
            _ => throw new JinjaException("tojson's indent must be an int or a str", line),
        };
        var (item, key) = separators switch
        {
            null => (indentText is null ? ", " : ",", ": "),
            object?[] or List<object?> => JinjaValues.Iterate(separators, line) is [string i, string k] ? (i, k) : throw new JinjaException("tojson's separators must be two strings", line),
            _ => throw new JinjaException("tojson's separators must be two strings", line),
        };
        var sb = new StringBuilder();
        Write(sb, value, indentText, item, key, sortKeys, 0, line);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, string? indent, string item, string key, bool sortKeys, int depth, int line)
    {
        switch (value)
        {
            case null: sb.Append("null"); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); return;
            case double d: sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PythonText.Float(d)); return;
            case string s: Quote(sb, s); return;
            case List<object?> or object?[]:
                var items = (IReadOnlyList<object?>)value;
                Container(sb, '[', ']', items.Count, indent, item, depth, i => Write(sb, items[i], indent, item, key, sortKeys, depth + 1, line));
                return;
            case Dictionary<object, object?> dict:
                var pairs = dict.Select(kv => (Key: KeyText(kv.Key, line), kv.Value)).ToList();
                if (sortKeys)
                    pairs = pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                Container(sb, '{', '}', pairs.Count, indent, item, depth, i =>
                {
                    Quote(sb, pairs[i].Key);
                    sb.Append(key);
                    Write(sb, pairs[i].Value, indent, item, key, sortKeys, depth + 1, line);
                });
                return;
            default:
                throw new JinjaException($"Object of type {JinjaValues.TypeName(value)} is not JSON serializable", line);
        }
    }

    private static void Container(StringBuilder sb, char open, char close, int count, string? indent, string item, int depth, Action<int> writeItem)
    {
        sb.Append(open);
        if (count == 0)
        {
            sb.Append(close);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
                sb.Append(item);
            if (indent is not null)
                sb.Append('\n').Insert(sb.Length, indent, depth + 1);
            writeItem(i);
        }
        if (indent is not null)
            sb.Append('\n').Insert(sb.Length, indent, depth);
        sb.Append(close);
    }

    private static string KeyText(object key, int line) => key switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PythonText.Float(d),
        _ => throw new JinjaException($"keys must be str, int, float, bool or None, not {JinjaValues.TypeName(key)}", line),
    };

    private static void Quote(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
