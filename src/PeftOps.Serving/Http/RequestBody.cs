using System.Text.Json;

namespace PeftOps.Serving.Http;

/// <summary>A request's body, read whole up to a limit; every endpoint that reads JSON reads it so.</summary>
public static class RequestBody
{
    /// <param name="tooLarge">The error for a body over <paramref name="maxBytes"/>, in the endpoint's own error shape.</param>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(Stream body, long? contentLength, long maxBytes, Func<Exception> tooLarge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(tooLarge);
        if (contentLength > maxBytes)
            throw tooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    throw tooLarge();
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == 413)
        {
            throw tooLarge(); // Kestrel's own limit (the same number) caught it first
        }
        return buffer.ToArray();
    }

    /// <summary>The body as a JSON document, nested at most <paramref name="maxDepth"/> deep.</summary>
    /// <param name="notJson">The error for a body that is not JSON, given the parser's reason.</param>
    public static JsonDocument Json(ReadOnlySpan<byte> json, int maxDepth, Func<string, Exception> notJson)
    {
        ArgumentNullException.ThrowIfNull(notJson);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw notJson(e.Message);
        }
    }
}
