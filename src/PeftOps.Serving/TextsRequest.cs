using System.Text.Json;
using PeftOps.Serving.Http;

namespace PeftOps.Serving;

/// <summary>
/// The body of <c>/predict</c> and <c>/embed</c>, <c>{"texts": ["...", ...]}</c>, read within the limits of
/// <see cref="ServeOptions"/>; every way it can be wrong is one <see cref="RequestError"/> naming what and where.
/// </summary>
public static class TextsRequest
{
    public static async Task<IReadOnlyList<string>> ReadAsync(Stream body, long? contentLength, ServeOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
        var tooLarge = $"body: more than {options.MaxBodyBytes} bytes (send at most {options.MaxTexts} texts of at most {options.MaxTextLength} characters)";
        var json = await RequestBody.ReadAsync(body, contentLength, options.MaxBodyBytes, () => new RequestError(413, tooLarge), cancellationToken).ConfigureAwait(false);
        return Parse(json.Span, options);
    }

    public static IReadOnlyList<string> Parse(ReadOnlySpan<byte> json, ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using (var document = RequestBody.Json(json, maxDepth: 8, reason => new RequestError(400, $"body: not JSON ({reason}); expected {{\"texts\": [\"...\"]}}")))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("texts", out var texts))
                throw new RequestError(400, "texts: missing; expected {\"texts\": [\"...\"]}");
            if (texts.ValueKind != JsonValueKind.Array)
                throw new RequestError(400, $"texts: a JSON {texts.ValueKind.ToString().ToLowerInvariant()}, expected an array of strings");
            var count = texts.GetArrayLength();
            if (count == 0)
                throw new RequestError(400, $"texts: empty; send 1 to {options.MaxTexts} texts");
            if (count > options.MaxTexts)
                throw new RequestError(400, $"texts: {count} texts, at most {options.MaxTexts} per request");
            var result = new List<string>(count);
            foreach (var element in texts.EnumerateArray())
            {
                var where = $"texts[{result.Count}]";
                if (element.ValueKind != JsonValueKind.String)
                    throw new RequestError(400, $"{where}: a JSON {element.ValueKind.ToString().ToLowerInvariant()}, expected a string");
                var text = element.GetString()!;
                if (string.IsNullOrWhiteSpace(text))
                    throw new RequestError(400, $"{where}: empty; expected text");
                if (text.Length > options.MaxTextLength)
                    throw new RequestError(400, $"{where}: {text.Length} characters, at most {options.MaxTextLength}");
                result.Add(text);
            }
            return result;
        }
    }
}
