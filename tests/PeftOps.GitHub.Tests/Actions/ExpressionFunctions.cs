using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// GitHub's expression functions, names ignoring case: <c>contains</c>, <c>startsWith</c>, <c>endsWith</c>, <c>format</c>,
/// <c>join</c>, <c>toJSON</c>, <c>fromJSON</c>, and the status checks <c>success</c>, <c>always</c>, <c>cancelled</c>,
/// <c>failure</c> (in <c>if:</c> only), and <c>hashFiles</c> over the job's workspace (<see cref="HashFiles"/>; outside a
/// job's steps, where there is no <c>github.workspace</c>, it is refused). A name GitHub does not know is refused.
/// (docs.github.com/actions/reference/workflows-and-actions/expressions#functions)
/// </summary>
internal static class ExpressionFunctions
{
    private static readonly Dictionary<string, (int Min, int Max)> Arities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["contains"] = (2, 2),
        ["startsWith"] = (2, 2),
        ["endsWith"] = (2, 2),
        ["format"] = (1, int.MaxValue),
        ["join"] = (1, 2),
        ["toJSON"] = (1, 1),
        ["fromJSON"] = (1, 1),
        ["hashFiles"] = (1, int.MaxValue),
        ["success"] = (0, 0),
        ["always"] = (0, 0),
        ["cancelled"] = (0, 0),
        ["failure"] = (0, 0),
    };

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool IsStatusCheck(string name) =>
        name.ToUpperInvariant() is "SUCCESS" or "ALWAYS" or "CANCELLED" or "FAILURE";

    /// <summary>Checks a call when it is parsed, as GitHub does before it runs anything: the name, and how many arguments.</summary>
    public static void Check(string name, int arguments, bool statusChecksAllowed)
    {
        if (!Arities.TryGetValue(name, out var arity))
            throw new FormatException($"unrecognized function {name}()");
        if (IsStatusCheck(name) && !statusChecksAllowed)
            throw new FormatException($"{name}() is a status check function, available in if: only");
        if (arguments < arity.Min || arguments > arity.Max)
            throw new FormatException($"{name}() takes {(arity.Min == arity.Max ? $"{arity.Min}" : arity.Max == int.MaxValue ? $"at least {arity.Min}" : $"{arity.Min} to {arity.Max}")} arguments, not {arguments}");
    }

    public static object? Invoke(string name, IReadOnlyList<object?> args, RunStatus? status, IReadOnlyDictionary<string, object?> contexts) => name.ToUpperInvariant() switch
    {
        "SUCCESS" => Status(status).Succeeded,
        "FAILURE" => Status(status).Failed,
        "CANCELLED" => Status(status).Cancelled,
        "ALWAYS" => true,
        "CONTAINS" => Contains(args[0], args[1]),
        "STARTSWITH" => ExpressionValues.Text(args[0]).StartsWith(ExpressionValues.Text(args[1]), StringComparison.OrdinalIgnoreCase),
        "ENDSWITH" => ExpressionValues.Text(args[0]).EndsWith(ExpressionValues.Text(args[1]), StringComparison.OrdinalIgnoreCase),
        "FORMAT" => Format(ExpressionValues.Text(args[0]), args.Skip(1).ToList()),
        "JOIN" => args[0] is List<object?> items
            ? string.Join(args.Count > 1 ? ExpressionValues.Text(args[1]) : ",", items.Select(ExpressionValues.Text))
            : ExpressionValues.Text(args[0]),
        "TOJSON" => JsonSerializer.Serialize(args[0], Pretty),
        "FROMJSON" => FromJson(ExpressionValues.Text(args[0])),
        "HASHFILES" => HashFiles.Of(Workspace(contexts), [.. args.Select(ExpressionValues.Text)]),
        _ => throw new FormatException($"unrecognized function {name}()"),
    };

    /// <summary>A parsed JSON value as an expression value: objects ignore the case of their keys, numbers are doubles.</summary>
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

    private static object? FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"fromJSON('{text}'): not JSON ({e.Message})", e);
        }
    }

    // github.workspace, or "" where there is none (HashFiles refuses that)
    private static string Workspace(IReadOnlyDictionary<string, object?> contexts) =>
        contexts.TryGetValue("github", out var github) && github is IReadOnlyDictionary<string, object?> g
            && g.TryGetValue("workspace", out var workspace) && workspace is string path ? path : "";

    private static RunStatus Status(RunStatus? status) =>
        status ?? throw new FormatException("a status check function outside if:");

    /// <summary>In an array: an item loosely equal to <paramref name="item"/>; in anything else, the texts, ignoring case.</summary>
    private static bool Contains(object? search, object? item) => search is List<object?> items
        ? items.Any(candidate => ExpressionValues.Equal(candidate, item))
        : ExpressionValues.Text(search).Contains(ExpressionValues.Text(item), StringComparison.OrdinalIgnoreCase);

    /// <summary><c>{N}</c> is argument N as text; <c>{{</c> and <c>}}</c> are braces; anything else with a brace is an error.</summary>
    private static string Format(string format, IReadOnlyList<object?> args)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                text.Append(c);
                i++;
            }
            else if (c == '{' && format.IndexOf('}', i) is var close and > 0
                && int.TryParse(format.AsSpan(i + 1, close - i - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                text.Append(n < args.Count
                    ? ExpressionValues.Text(args[n])
                    : throw new FormatException($"format('{format}'): {{{n}}} but {args.Count} arguments"));
                i = close;
            }
            else if (c is '{' or '}')
                throw new FormatException($"format('{format}'): a lone '{c}' at {i} (write {c}{c} for a brace)");
            else
                text.Append(c);
        }
        return text.ToString();
    }
}
