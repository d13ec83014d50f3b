using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>
/// JSON that a user or a pull request hands PeftOps, checked once where it is parsed so that readers can take its
/// strings without surprises: System.Text.Json parses a lone UTF-16 surrogate escape (<c>"\ud800"</c>) and only
/// fails, with an <see cref="InvalidOperationException"/>, when the string is read.
/// </summary>
public static class JsonInput
{
    /// <summary>Strict parsing: no comments, no trailing commas, no key named twice in one object.</summary>
    public static JsonDocumentOptions Strict { get; } = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Parses <paramref name="text"/> strictly and checks its strings: invalid JSON, a key named twice in one object or
    /// a string that is not valid UTF-16 is an <see cref="InputException"/> starting <c>{where}: </c>.
    /// </summary>
    public static JsonDocument Parse(string where, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Strict);
        }
        catch (JsonException e)
        {
            throw new InputException($"{where}: not valid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            // checking for duplicate keys reads every key, and a key with a lone surrogate escape fails to read
            throw NotUtf16(where, "a key", e);
        }
        try
        {
            CheckStrings(where, document.RootElement);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every property name and string under <paramref name="element"/> holds valid UTF-16; otherwise an
    /// <see cref="InputException"/> <c>{where}: {json path} holds an escape that is not valid UTF-16 ...</c>.
    /// </summary>
    public static void CheckStrings(string where, JsonElement element) => CheckStrings(where, element, "$");

    private static void CheckStrings(string where, JsonElement element, string at)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Read(where, at, element.GetString);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = Read(where, $"{at} (a key)", () => property.Name);
                    CheckStrings(where, property.Value, $"{at}.{name}");
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    CheckStrings(where, item, $"{at}[{i++}]");
                break;
            default:
                break;
        }
    }

    private static T Read<T>(string where, string at, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException e)
        {
            throw NotUtf16(where, at, e);
        }
    }

    private static InputException NotUtf16(string where, string at, Exception inner) =>
        new($"{where}: {at} holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800); expected text", inner);
}
