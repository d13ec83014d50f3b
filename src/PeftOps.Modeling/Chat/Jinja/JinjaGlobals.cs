using System.Globalization;
using System.Text;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// The functions a chat template may call: jinja2's <c>namespace</c>, <c>range</c> and <c>dict</c>, and transformers'
/// <c>raise_exception(message)</c> and <c>strftime_now(format)</c>.
/// </summary>
internal static class JinjaGlobals
{
    /// <summary>jinja2's sandbox refuses ranges longer than this.</summary>
    private const long MaxRange = 100_000;

    public static void Add(JinjaScope scope, Func<DateTime> now)
    {
        scope.Set("raise_exception", new JinjaFunction("raise_exception", (args, _, line) =>
            throw new JinjaException(args.Count > 0 ? PythonText.Str(args[0]) : "", line) { RaisedByTemplate = true }));
        scope.Set("strftime_now", new JinjaFunction("strftime_now", (args, _, line) =>
            StrFTime(now(), args.Count > 0 ? args[0] as string ?? throw new JinjaException("strftime_now needs a format string", line) : throw new JinjaException("strftime_now needs a format string", line), line)));
        scope.Set("namespace", new JinjaFunction("namespace", (args, kwargs, line) =>
        {
            var ns = new JinjaNamespace();
            foreach (var arg in args)
            {
                if (arg is not Dictionary<object, object?> initial)
                    throw new JinjaException("namespace() takes a dict or keyword arguments", line);
                foreach (var (key, value) in initial)
                    ns.Attributes[PythonText.Str(key)] = value;
            }
            foreach (var (key, value) in kwargs)
                ns.Attributes[key] = value;
            return ns;
        }));
        scope.Set("range", new JinjaFunction("range", (args, _, line) => Range(args, line)));
        scope.Set("dict", new JinjaFunction("dict", (args, kwargs, line) =>
        {
            var dict = args is [Dictionary<object, object?> d] ? new Dictionary<object, object?>(d)
                : args.Count == 0 ? new Dictionary<object, object?>() : throw new JinjaException("dict() takes a dict or keyword arguments", line);
            foreach (var (key, value) in kwargs)
                dict[key] = value;
            return dict;
        }));
    }

    private static List<object?> Range(IReadOnlyList<object?> args, int line)
    {
        var n = args.Select(a => a is long or bool ? JinjaValues.ToLong(a) : throw new JinjaException($"'{JinjaValues.TypeName(a)}' object cannot be interpreted as an integer", line)).ToArray();
        var (start, stop, step) = n.Length switch
        {
            1 => (0L, n[0], 1L),
            2 => (n[0], n[1], 1L),
            3 => (n[0], n[1], n[2]),
            _ => throw new JinjaException("range expected 1 to 3 arguments", line),
        };
        if (step == 0)
            throw new JinjaException("range() arg 3 must not be zero", line);
        var count = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
        if (count > MaxRange)
            throw new JinjaException($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).", line);
        var result = new List<object?>();
        for (var i = 0L; i < count; i++)
            result.Add(start + i * step);
        return result;
    }

    /// <summary>Python's <c>datetime.strftime</c> for the directives chat templates use (C locale names).</summary>
    public static string StrFTime(DateTime t, string format, int line)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var d = format[++i];
            sb.Append(d switch
            {
                'd' => t.ToString("dd", CultureInfo.InvariantCulture),
                'm' => t.ToString("MM", CultureInfo.InvariantCulture),
                'Y' => t.ToString("yyyy", CultureInfo.InvariantCulture),
                'y' => t.ToString("yy", CultureInfo.InvariantCulture),
                'b' => t.ToString("MMM", CultureInfo.InvariantCulture),
                'B' => t.ToString("MMMM", CultureInfo.InvariantCulture),
                'a' => t.ToString("ddd", CultureInfo.InvariantCulture),
                'A' => t.ToString("dddd", CultureInfo.InvariantCulture),
                'H' => t.ToString("HH", CultureInfo.InvariantCulture),
                'I' => t.ToString("hh", CultureInfo.InvariantCulture),
                'M' => t.ToString("mm", CultureInfo.InvariantCulture),
                'S' => t.ToString("ss", CultureInfo.InvariantCulture),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'j' => t.DayOfYear.ToString("D3", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => throw new JinjaException($"strftime_now's directive %{d} is not supported", line) { Unsupported = true },
            });
        }
        return sb.ToString();
    }
}
