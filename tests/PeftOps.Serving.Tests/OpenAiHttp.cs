using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PeftOps.Serving.Tests;

/// <summary>OpenAI-shaped requests to the server by hand, and its server-sent events read back as the events' data.</summary>
internal static class OpenAiHttp
{
    public static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };

    public static object Chat(string model, string content, int maxTokens, bool stream = false, double temperature = 0, long? seed = null) => new Dictionary<string, object?>
    {
        ["model"] = model,
        ["messages"] = new[] { new { role = "user", content } },
        ["max_tokens"] = maxTokens,
        ["temperature"] = temperature,
        ["seed"] = seed,
        ["stream"] = stream,
        ["stream_options"] = stream ? new { include_usage = true } : null,
    };

    /// <summary>Sends a streaming request and reads the whole stream: each event's data, <c>[DONE]</c> included.</summary>
    public static async Task<(HttpResponseMessage Response, IReadOnlyList<string> Events)> StreamAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response, Events(text));
    }

    public static List<string> Events(string text)
    {
        var events = new List<string>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', block);
            events.Add(block["data: ".Length..]);
        }
        return events;
    }

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;
}
