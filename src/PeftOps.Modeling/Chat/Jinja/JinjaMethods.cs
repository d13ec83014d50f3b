using System.Globalization;
using System.Text;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// The methods of Python's str, dict and list that templates call (<c>message.content.strip()</c>,
/// <c>message.get('tool_calls')</c>, <c>tools.items()</c>). A method Python has but this interpreter does not implement is
/// refused when called; one the sandbox forbids (<c>list.append</c>, <c>dict.update</c>) fails as jinja2's does.
/// </summary>
internal static class JinjaMethods
{
    private static readonly HashSet<string> StrMethods = new(StringComparer.Ordinal)
    {
        "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format", "format_map",
        "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric",
        "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans", "partition",
        "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
        "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill",
    };

    private static readonly HashSet<string> DictMethods = new(StringComparer.Ordinal)
    {
        "items", "keys", "values", "get", "copy", "fromkeys", "pop", "popitem", "setdefault", "update", "clear",
    };

    private static readonly HashSet<string> ListMethods = new(StringComparer.Ordinal)
    {
        "index", "count", "copy", "append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear",
    };

    private static readonly HashSet<string> Mutating = new(StringComparer.Ordinal)
    {
        "pop", "popitem", "setdefault", "update", "clear", "append", "extend", "insert", "remove", "reverse", "sort",
    };

    /// <summary>The bound method <paramref name="name"/> of <paramref name="target"/>, or null when its type has none.</summary>
    public static IJinjaCallable? Bind(object? target, string name, int line)
    {
        var type = JinjaValues.TypeName(target);
        var known = target switch
        {
            string => StrMethods.Contains(name),
            Dictionary<object, object?> => DictMethods.Contains(name),
            List<object?> => ListMethods.Contains(name),
            _ => false,
        };
        if (!known)
            return null;
        if (Mutating.Contains(name) && target is not string)
            return new JinjaFunction(name, (_, _, l) => throw new JinjaException($"access to attribute '{name}' of '{type}' object is unsafe.", l));
        return new JinjaFunction($"{type}.{name}", (args, kwargs, l) => target switch
        {
            string s => Str(s, name, args, kwargs, l),
            Dictionary<object, object?> d => Dict(d, name, args, l),
            _ => List((List<object?>)target!, name, args, l),
        });
    }

    private static object? Arg(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int i, string name, object? otherwise = null) =>
        i < args.Count ? args[i] : kwargs.TryGetValue(name, out var v) ? v : otherwise;

    private static string? Chars(object? v, string method, int line) => v switch
    {
        null => null,
        string s => s,
        _ => throw new JinjaException($"{method} arg must be None or str", line),
    };

    private static object? Str(string s, string name, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int line)
    {
        string Text(int i, string arg) => Arg(args, kwargs, i, arg) as string ?? throw new JinjaException($"str.{name}() expects a str argument", line);
        switch (name)
        {
            case "strip": return Chars(Arg(args, kwargs, 0, "chars"), name, line) is { } c ? s.Trim(c.ToCharArray()) : s.Trim(PythonText.WhitespaceChars);
            case "lstrip": return Chars(Arg(args, kwargs, 0, "chars"), name, line) is { } l ? s.TrimStart(l.ToCharArray()) : s.TrimStart(PythonText.WhitespaceChars);
            case "rstrip": return Chars(Arg(args, kwargs, 0, "chars"), name, line) is { } r ? s.TrimEnd(r.ToCharArray()) : s.TrimEnd(PythonText.WhitespaceChars);
            case "upper": return s.ToUpperInvariant();
            case "lower": return s.ToLowerInvariant();
            case "title": return Title(s);
            case "capitalize": return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case "startswith": return Affix(s, Arg(args, kwargs, 0, "prefix"), s.StartsWith, line);
            case "endswith": return Affix(s, Arg(args, kwargs, 0, "suffix"), s.EndsWith, line);
            case "replace":
                var count = Arg(args, kwargs, 2, "count", -1L) is long n ? n : -1;
                return Replace(s, Text(0, "old"), Text(1, "new"), count);
            case "split": return Split(s, Chars(Arg(args, kwargs, 0, "sep"), name, line), Arg(args, kwargs, 1, "maxsplit", -1L) is long m ? m : -1, line);
            case "splitlines": return SplitLines(s);
            case "find": return (long)s.IndexOf(Text(0, "sub"), StringComparison.Ordinal);
            case "rfind": return (long)s.LastIndexOf(Text(0, "sub"), StringComparison.Ordinal);
            case "count": return Text(0, "sub") is var sub && sub.Length > 0 ? (long)((s.Length - s.Replace(sub, "", StringComparison.Ordinal).Length) / sub.Length) : (long)s.Length + 1;
            case "join": return string.Join(s, JinjaValues.Iterate(Arg(args, kwargs, 0, "iterable"), line).Select(x => x as string ?? throw new JinjaException($"sequence item: expected str instance, {JinjaValues.TypeName(x)} found", line)));
            case "removeprefix": return Text(0, "prefix") is var p && s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s;
            case "removesuffix": return Text(0, "suffix") is var x && x.Length > 0 && s.EndsWith(x, StringComparison.Ordinal) ? s[..^x.Length] : s;
            case "isspace": return s.Length > 0 && s.All(PythonText.IsWhitespace);
            case "isdigit": return s.Length > 0 && s.All(char.IsDigit);
            case "isalpha": return s.Length > 0 && s.All(char.IsLetter);
            case "isalnum": return s.Length > 0 && s.All(char.IsLetterOrDigit);
            case "islower": return s.Any(char.IsLetter) && !s.Any(char.IsUpper);
            case "isupper": return s.Any(char.IsLetter) && !s.Any(char.IsLower);
            case "format": return Format(s, args, kwargs, line);
        }
        throw new JinjaException($"the str method '{name}' is not supported", line) { Unsupported = true };
    }

    private static bool Affix(string s, object? affix, Func<string, StringComparison, bool> test, int line) => affix switch
    {
        string a => test(a, StringComparison.Ordinal),
        object?[] or List<object?> => JinjaValues.Iterate(affix, line).Any(a => a is string t && test(t, StringComparison.Ordinal)),
        _ => throw new JinjaException("startswith/endswith first arg must be str or a tuple of str", line),
    };

    /// <summary>Python's <c>str.title()</c>: a cased character after an uncased one is upper-cased, the others lower-cased.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var c in s)
        {
            var cased = char.IsUpper(c) || char.IsLower(c) || char.IsLetter(c) && char.ToUpperInvariant(c) != char.ToLowerInvariant(c);
            sb.Append(cased ? (previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c);
            previousCased = cased;
        }
        return sb.ToString();
    }

    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
            return old.Length == 0 ? string.Concat(JinjaValues.Characters(s).Select(c => replacement + c)) + replacement : s.Replace(old, replacement, StringComparison.Ordinal);
        var sb = new StringBuilder();
        var pos = 0;
        for (var done = 0L; done < count; done++)
        {
            var at = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (at < 0 || old.Length == 0)
                break;
            sb.Append(s, pos, at - pos).Append(replacement);
            pos = at + old.Length;
        }
        return sb.Append(s, pos, s.Length - pos).ToString();
    }

    private static List<object?> SplitLines(string s)
    {
        var lines = s.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Cast<object?>().ToList();
        if (lines.Count > 0 && (string?)lines[^1] == "")
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static List<object?> Split(string s, string? sep, long maxSplit, int line)
    {
        var parts = new List<object?>();
        if (sep is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && PythonText.IsWhitespace(s[i]))
                    i++;
                if (i >= s.Length)
                    break;
                if (maxSplit >= 0 && parts.Count == maxSplit)
                {
                    parts.Add(s[i..].TrimEnd(PythonText.WhitespaceChars));
                    break;
                }
                var start = i;
                while (i < s.Length && !PythonText.IsWhitespace(s[i]))
                    i++;
                parts.Add(s[start..i]);
            }
            return parts;
        }
        if (sep.Length == 0)
            throw new JinjaException("empty separator", line);
        var pos = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            var at = s.IndexOf(sep, pos, StringComparison.Ordinal);
            if (at < 0)
                break;
            parts.Add(s[pos..at]);
            pos = at + sep.Length;
        }
        parts.Add(s[pos..]);
        return parts;
    }

    /// <summary><c>str.format</c> with <c>{}</c>, <c>{0}</c> and <c>{name}</c> fields; format specs and conversions are refused.</summary>
    private static string Format(string s, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int line)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '{' or '}' && i + 1 < s.Length && s[i + 1] == c)
            {
                sb.Append(c);
                i++;
                continue;
            }
            if (c == '}')
                throw new JinjaException("Single '}' encountered in format string", line);
            if (c != '{')
            {
                sb.Append(c);
                continue;
            }
            var close = s.IndexOf('}', i);
            if (close < 0)
                throw new JinjaException("Single '{' encountered in format string", line);
            var field = s[(i + 1)..close];
            if (field.IndexOfAny([':', '!', '.', '[']) >= 0)
                throw new JinjaException($"str.format field '{{{field}}}' (format specs and conversions) is not supported", line) { Unsupported = true };
            object? value = field.Length == 0 ? (auto < args.Count ? args[auto++] : throw new JinjaException("Replacement index out of range", line))
                : int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? (index < args.Count ? args[index] : throw new JinjaException("Replacement index out of range", line))
                : kwargs.TryGetValue(field, out var named) ? named : throw new JinjaException($"KeyError: '{field}'", line);
            sb.Append(PythonText.Str(value));
            i = close;
        }
        return sb.ToString();
    }

    private static object? Dict(Dictionary<object, object?> d, string name, IReadOnlyList<object?> args, int line) => name switch
    {
        "items" => d.Select(kv => (object?)new object?[] { kv.Key, kv.Value }).ToList(),
        "keys" => d.Keys.Cast<object?>().ToList(),
        "values" => d.Values.ToList(),
        "get" => args.Count == 0 ? throw new JinjaException("get expected at least 1 argument, got 0", line)
            : args[0] is { } key and not JinjaUndefined && d.TryGetValue(key, out var v) ? v : args.Count > 1 ? args[1] : null,
        "copy" => new Dictionary<object, object?>(d),
        _ => throw new JinjaException($"the dict method '{name}' is not supported", line) { Unsupported = true },
    };

    private static object? List(List<object?> list, string name, IReadOnlyList<object?> args, int line) => name switch
    {
        "index" => list.FindIndex(x => JinjaValues.Equals(x, args.FirstOrDefault())) is var i and >= 0 ? (long)i : throw new JinjaException("x not in list", line),
        "count" => (long)list.Count(x => JinjaValues.Equals(x, args.FirstOrDefault())),
        "copy" => new List<object?>(list),
        _ => throw new JinjaException($"the list method '{name}' is not supported", line) { Unsupported = true },
    };
}
