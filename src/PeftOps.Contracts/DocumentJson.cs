using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>
/// How the readers of the pipeline's JSON files turn a file into a record, and every way that can fail into one
/// <see cref="InputException"/>: <c>{source}:{line}: not a valid {what}: {json path}: {what was expected}</c>.
/// </summary>
internal static class DocumentJson
{
    /// <summary>The bytes of <paramref name="path"/>; a file that cannot be read is an <see cref="InputException"/>.</summary>
    public static byte[] ReadBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read {what} ({e.Message})", e);
        }
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8, JsonSerializerOptions options, string source, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, options) ?? throw Null(source, what);
        }
        catch (JsonException e)
        {
            throw Invalid(e, source, what);
        }
        catch (InvalidOperationException e)
        {
            // a string that is not valid UTF-8, or an escape that is not valid UTF-16, fails only when it is read
            throw new InputException($"{source}: not a valid {what}: it holds text that is not valid UTF-8 or UTF-16 ({e.Message})", e);
        }
    }

    public static T Deserialize<T>(string json, JsonSerializerOptions options, string source, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options) ?? throw Null(source, what);
        }
        catch (JsonException e)
        {
            throw Invalid(e, source, what);
        }
        catch (InvalidOperationException e)
        {
            throw new InputException($"{source}: not a valid {what}: it holds an escape that is not valid UTF-16 ({e.Message})", e);
        }
    }

    private static InputException Null(string source, string what) =>
        new($"{source}: not a valid {what}: the file holds null, expected an object");

    private static InputException Invalid(JsonException e, string source, string what)
    {
        var where = e.LineNumber is { } line ? $":{line + 1}" : "";
        // System.Text.Json's own messages end with "Path: $.x | LineNumber: ..."; ours (SpelledEnumConverter) do not
        var detail = e.Path is { } path && !e.Message.Contains("Path: ", StringComparison.Ordinal) ? $"{path}: {e.Message}" : e.Message;
        return new InputException($"{source}{where}: not a valid {what}: {detail}", e);
    }
}
