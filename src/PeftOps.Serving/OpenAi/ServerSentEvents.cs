using System.Text.Json;

namespace PeftOps.Serving.OpenAi;

/// <summary>
/// OpenAI's streaming framing (server-sent events): each chunk is one event <c>data: {json}</c> followed by a blank
/// line, flushed at once; the stream ends with <c>data: [DONE]</c>.
/// </summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] End = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>The bytes of one event carrying <paramref name="chunk"/> as JSON (one line: JSON escapes every newline in strings).</summary>
    public static byte[] Event(object chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var json = JsonSerializer.SerializeToUtf8Bytes(chunk, chunk.GetType(), OpenAiJson.Options);
        return [.. Prefix, .. json, .. End];
    }

    public static async Task WriteAsync(Stream stream, object chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Event(chunk), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task DoneAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
