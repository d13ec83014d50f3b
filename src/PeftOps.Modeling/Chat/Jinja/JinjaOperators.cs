namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// Python's arithmetic and access as jinja2's sandbox applies them: <c>+ - * / // % **</c>, <c>obj.name</c>
/// (attribute, then item), <c>obj[key]</c> (item, then attribute) and slices. A missing key or attribute is
/// <see cref="JinjaUndefined"/>; arithmetic on one, or on types Python would not combine, fails.
/// </summary>
internal static class JinjaOperators
{
    public static object? Binary(string op, object? a, object? b, int line)
    {
        JinjaValues.Defined(a, line);
        JinjaValues.Defined(b, line);
        if (JinjaValues.IsNumber(a) && JinjaValues.IsNumber(b))
            return Arithmetic(op, a, b, line);
        return (op, a, b) switch
        {
            ("+", string x, string y) => x + y,
            ("+", List<object?> x, List<object?> y) => x.Concat(y).ToList(),
            ("+", object?[] x, object?[] y) => x.Concat(y).ToArray(),
            ("*", string x, long or bool) => Repeat(x, JinjaValues.ToLong(b)),
            ("*", long or bool, string y) => Repeat(y, JinjaValues.ToLong(a)),
            ("*", List<object?> x, long or bool) => Enumerable.Repeat(x, (int)Math.Max(0, JinjaValues.ToLong(b))).SelectMany(l => l).ToList(),
            ("%", string, _) => throw new JinjaException("printf-style string formatting ('...' % value) is not supported", line) { Unsupported = true },
            _ => throw new JinjaException($"unsupported operand type(s) for {op}: '{JinjaValues.TypeName(a)}' and '{JinjaValues.TypeName(b)}'", line),
        };
    }

    private static string Repeat(string s, long times) => times <= 0 ? "" : string.Concat(Enumerable.Repeat(s, (int)times));

    private static object Arithmetic(string op, object? a, object? b, int line)
    {
        if (a is not double && b is not double)
        {
            long x = JinjaValues.ToLong(a), y = JinjaValues.ToLong(b);
            switch (op)
            {
                case "+": return x + y;
                case "-": return x - y;
                case "*": return x * y;
                case "/": return y == 0 ? throw new JinjaException("division by zero", line) : (double)x / y;
                case "//": return y == 0 ? throw new JinjaException("integer division or modulo by zero", line) : FloorDiv(x, y);
                case "%": return y == 0 ? throw new JinjaException("integer division or modulo by zero", line) : x - y * FloorDiv(x, y);
                case "**": return y >= 0 ? checked((long)Math.Pow(x, y)) : (object)Math.Pow(x, y);
            }
        }
        double p = JinjaValues.ToDouble(a), q = JinjaValues.ToDouble(b);
        if (q == 0 && op is "/" or "//" or "%")
            throw new JinjaException("float division by zero", line);
        return op switch
        {
            "+" => p + q,
            "-" => p - q,
            "*" => p * q,
            "/" => p / q,
            "//" => Math.Floor(p / q),
            "%" => p - q * Math.Floor(p / q),
            "**" => Math.Pow(p, q),
            _ => throw new JinjaException($"unknown operator {op}", line),
        };
    }

    private static long FloorDiv(long x, long y)
    {
        var q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    public static object? Negate(object? value, int line) => JinjaValues.Defined(value, line) switch
    {
        long l => (object)(-l),
        bool b => b ? -1L : 0L,
        double d => -d,
        _ => throw new JinjaException($"bad operand type for unary -: '{JinjaValues.TypeName(value)}'", line),
    };

    /// <summary><c>obj.name</c>: Python's attribute (a method of a str, list or dict), else the dict's item.</summary>
    public static object? Attribute(object? target, string name, int line)
    {
        JinjaValues.Defined(target, line);
        var method = JinjaMethods.Bind(target, name, line);
        if (method is not null)
            return method;
        return target switch
        {
            JinjaNamespace ns => ns.Attributes.TryGetValue(name, out var v) ? v : Missing(target, name),
            JinjaLoop loop => loop.Attribute(name),
            Dictionary<object, object?> dict => dict.TryGetValue(name, out var v) ? v : Missing(target, name),
            _ => Missing(target, name),
        };
    }

    /// <summary><c>obj[key]</c>: the item (negative indices count from the end), else the attribute of that name.</summary>
    public static object? Item(object? target, object? key, int line)
    {
        JinjaValues.Defined(target, line);
        switch (target)
        {
            case Dictionary<object, object?> dict when key is not null and not JinjaUndefined:
                var k = key is bool b ? (b ? 1L : 0L) : key is double d && d == Math.Floor(d) ? (long)d : key;
                if (dict.TryGetValue(k, out var v))
                    return v;
                break;
            case List<object?> or object?[] or string when key is long or bool:
                var items = target is string s ? JinjaValues.Characters(s).Cast<object?>().ToList() : (IReadOnlyList<object?>)target;
                var i = JinjaValues.ToLong(key);
                if (i < 0)
                    i += items.Count;
                if (i >= 0 && i < items.Count)
                    return items[(int)i];
                return new JinjaUndefined($"'{JinjaValues.TypeName(target)} object' has no element {PythonText.Repr(key)}");
            case JinjaNamespace or JinjaLoop when key is string name:
                return Attribute(target, name, line);
        }
        if (key is string attribute && JinjaMethods.Bind(target, attribute, line) is { } method)
            return method;
        return key is string n ? Missing(target, n) : new JinjaUndefined($"'{JinjaValues.TypeName(target)} object' has no element {PythonText.Repr(key)}");
    }

    private static JinjaUndefined Missing(object? target, string name) =>
        new($"'{JinjaValues.TypeName(target)} object' has no attribute '{name}'");

    /// <summary><c>obj[start:stop:step]</c> on a list, tuple or string, with Python's clamping and negative indices.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step, int line)
    {
        JinjaValues.Defined(target, line);
        IReadOnlyList<object?> items = target switch
        {
            string s => JinjaValues.Characters(s).Cast<object?>().ToList(),
            List<object?> l => l,
            object?[] t => t,
            _ => throw new JinjaException($"'{JinjaValues.TypeName(target)}' object is not subscriptable", line),
        };
        long Index(object? v, string what) => v switch
        {
            long or bool => JinjaValues.ToLong(v),
            _ => throw new JinjaException($"slice {what} must be an integer or None", line),
        };
        var n = items.Count;
        var by = step is null ? 1 : Index(step, "step");
        if (by == 0)
            throw new JinjaException("slice step cannot be zero", line);
        long Clamp(object? v, long whenNone)
        {
            if (v is null)
                return whenNone;
            var i = Index(v, "index");
            if (i < 0)
                i += n;
            return by > 0 ? Math.Clamp(i, 0, n) : Math.Clamp(i, -1, n - 1);
        }
        var from = Clamp(start, by > 0 ? 0 : n - 1);
        var to = Clamp(stop, by > 0 ? n : -1);
        var picked = new List<object?>();
        for (var i = from; by > 0 ? i < to : i > to; i += by)
            picked.Add(items[(int)i]);
        return target switch
        {
            string => string.Concat(picked.Cast<string>()),
            object?[] => picked.ToArray(),
            _ => picked,
        };
    }
}
