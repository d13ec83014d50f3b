using System.Text.Json;

namespace PeftOps.Configuration.Schema;

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
