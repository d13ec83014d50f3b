using System.Text.Json;

namespace PeftOps.Configuration;

/// <summary>
/// The resolved spec as flat <c>key path → canonical text</c> pairs, defaults included, for reports and diffs:
/// <c>method.r → 8</c>, <c>method.target_modules → [query, value]</c>, <c>method.rank_pattern[query] → 16</c>,
/// list items keyed by name (<c>evaluation.target[intents].data</c>, <c>gate.target[intents.accuracy].min</c>).
/// Unset optional values are absent. Keys are sorted ordinally.
/// </summary>
public static class SpecText
{
    public static IReadOnlyDictionary<string, string> Flatten(AdapterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var into = new SortedDictionary<string, string>(StringComparer.Ordinal);
        SpecDefinition.Root.Flatten(spec, "", into);
        return into;
    }

}

/// <summary>How lists and map keys are written in the flattened text view.</summary>
internal static class SpecTextFormat
{
    /// <summary><c>[query, value]</c>; an item that could be misread (empty, spaces, commas, brackets, quotes) is JSON-quoted.</summary>
    public static string List(IEnumerable<string> items) =>
        "[" + string.Join(", ", items.Select(Item)) + "]";

    private static string Item(string item) =>
        item.Length == 0 || item.Any(c => char.IsWhiteSpace(c) || c is ',' or '[' or ']' or '"' or '{' or '}')
            ? JsonSerializer.Serialize(item)
            : item;
}
