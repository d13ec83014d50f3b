using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Modeling.Tokenization;

/// <summary>
/// Typed access to a <c>tokenizer.json</c>: a missing key or a value of the wrong kind is an <see cref="InputException"/>
/// naming the file, the JSON path and what was expected (<c>tok.json: model.vocab.a is "x"; expected an integer</c>).
/// </summary>
internal static class TokenizerFields
{
    /// <summary>Property <paramref name="name"/> of the object <paramref name="element"/> found at <paramref name="at"/>.</summary>
    public static JsonElement Get(string path, JsonElement element, string at, string name, JsonValueKind kind)
    {
        Expect(path, element, at, JsonValueKind.Object);
        if (!element.TryGetProperty(name, out var value))
            throw new InputException($"{path}: {at}.{name} is missing; expected {Describe(kind)}");
        return Expect(path, value, $"{at}.{name}", kind);
    }

    public static string Text(string path, JsonElement element, string at, string name) =>
        Get(path, element, at, name, JsonValueKind.String).GetString()!;

    public static JsonElement Expect(string path, JsonElement value, string at, JsonValueKind kind) =>
        value.ValueKind == kind ? value : throw new InputException($"{path}: {at} is {Shorten(value.GetRawText())}; expected {Describe(kind)}");

    public static int Int32(string path, JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id)
            ? id
            : throw new InputException($"{path}: {at} is {Shorten(value.GetRawText())}; expected an integer token id");

    /// <summary><c>model.vocab</c>: token to id.</summary>
    public static Dictionary<string, int> Vocabulary(string path, JsonElement model) =>
        Get(path, model, "model", "vocab", JsonValueKind.Object).EnumerateObject()
            .ToDictionary(p => p.Name, p => Int32(path, p.Value, $"model.vocab.{p.Name}"), StringComparer.Ordinal);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString(),
    };

    private static string Shorten(string raw) => raw.Length <= 60 ? raw : raw[..57] + "...";
}
