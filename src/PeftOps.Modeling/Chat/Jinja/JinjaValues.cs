using System.Collections;
using System.Text.Json;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// Python's semantics for the values a template sees: None (null), bool, int (long), float (double), str (string),
/// list (<see cref="List{T}"/>), tuple (array), dict (<see cref="Dictionary{TKey, TValue}"/>, insertion-ordered),
/// <see cref="JinjaUndefined"/> and <see cref="JinjaNamespace"/>: truth, equality, ordering, iteration, length.
/// </summary>
internal static class JinjaValues
{
    /// <summary>A value from C# (or JSON) as a template value: ints widen to long, lists and dicts copy into Python's shapes.</summary>
    public static object? From(object? value) => value switch
    {
        null or bool or long or double or string or JinjaUndefined or JinjaNamespace or IJinjaCallable => value,
        int i => (long)i,
        float f => (double)f,
        decimal m => (double)m,
        JsonElement e => FromJson(e),
        IDictionary dict => ToDict(dict),
        object?[] tuple => tuple,
        IEnumerable list => list.Cast<object?>().Select(From).ToList(),
        _ => throw new ArgumentException($"a template cannot take a value of type {value.GetType().Name}", nameof(value)),
    };

    private static Dictionary<object, object?> ToDict(IDictionary dict)
    {
        var result = new Dictionary<object, object?>();
        foreach (DictionaryEntry entry in dict)
            result[From(entry.Key)!] = From(entry.Value);
        return result;
    }

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : (object)e.GetDouble(),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        _ => e.EnumerateObject().ToDictionary(p => (object)p.Name, p => FromJson(p.Value)),
    };

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        object?[] => "tuple",
        Dictionary<object, object?> => "dict",
        JinjaUndefined => "Undefined",
        JinjaNamespace => "Namespace",
        JinjaLoop => "LoopContext",
        _ => "function",
    };

    public static bool Truthy(object? value) => value switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>Fails as jinja2's Undefined does when a template uses a missing value for more than printing or testing.</summary>
    public static object? Defined(object? value, int line) =>
        value is JinjaUndefined u ? throw new JinjaException(u.Hint, line) : value;

    public static bool IsNumber(object? value) => value is bool or long or double;

    public static double ToDouble(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => d,
        _ => throw new InvalidOperationException(),
    };

    public static new bool Equals(object? a, object? b)
    {
        if (a is JinjaUndefined || b is JinjaUndefined)
            return a is JinjaUndefined && b is JinjaUndefined;
        if (IsNumber(a) && IsNumber(b))
            return a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b);
        return (a, b) switch
        {
            (null, null) => true,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => Equals(p.First, p.Second)),
            (object?[] x, object?[] y) => x.Length == y.Length && x.Zip(y).All(p => Equals(p.First, p.Second)),
            (Dictionary<object, object?> x, Dictionary<object, object?> y) =>
                x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v)),
            _ => ReferenceEquals(a, b),
        };
    }

    public static long ToLong(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Python's ordering: numbers with numbers, strings by code point, lists and tuples item by item.</summary>
    public static int Compare(object? a, object? b, string op, int line)
    {
        if (IsNumber(a) && IsNumber(b))
            return ToDouble(a).CompareTo(ToDouble(b));
        switch (a, b)
        {
            case (string x, string y):
                return string.CompareOrdinal(x, y) switch { < 0 => -1, > 0 => 1, _ => 0 };
            case (List<object?> x, List<object?> y):
                return CompareSequences(x, y, op, line);
            case (object?[] x, object?[] y):
                return CompareSequences(x, y, op, line);
        }
        Defined(a, line);
        Defined(b, line);
        throw new JinjaException($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'", line);
    }

    private static int CompareSequences(IReadOnlyList<object?> x, IReadOnlyList<object?> y, string op, int line)
    {
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            if (!Equals(x[i], y[i]))
                return Compare(x[i], y[i], op, line);
        return x.Count.CompareTo(y.Count);
    }

    /// <summary>The items a for loop or a filter walks: a list's items, a dict's keys, a string's characters.</summary>
    public static IReadOnlyList<object?> Iterate(object? value, int line) => value switch
    {
        JinjaUndefined => [],
        List<object?> list => list,
        object?[] tuple => tuple,
        Dictionary<object, object?> dict => dict.Keys.Cast<object?>().ToList(),
        string s => Characters(s).Cast<object?>().ToList(),
        _ => throw new JinjaException($"'{TypeName(value)}' object is not iterable", line),
    };

    /// <summary>A string's characters as Python counts them (code points, so a surrogate pair is one).</summary>
    public static List<string> Characters(string s)
    {
        var result = new List<string>(s.Length);
        foreach (var rune in s.EnumerateRunes())
            result.Add(rune.ToString());
        return result;
    }

    public static long Length(object? value, int line) => value switch
    {
        JinjaUndefined => 0,
        string s => s.EnumerateRunes().Count(),
        ICollection c => c.Count,
        _ => throw new JinjaException($"object of type '{TypeName(value)}' has no len()", line),
    };

    public static bool Contains(object? container, object? item, int line) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        string => throw new JinjaException($"'in <string>' requires string as left operand, not {TypeName(item)}", line),
        Dictionary<object, object?> dict => item is not null && dict.Keys.Any(k => Equals(k, item)),
        JinjaUndefined => false,
        _ => Iterate(container, line).Any(x => Equals(x, item)),
    };
}
