using System.Text.Json;

namespace PeftOps.Serving.OpenAi;

/// <summary>How the OpenAI-compatible bodies are written: snake_case names, nulls kept (OpenAI writes <c>"logprobs": null</c>).</summary>
public static class OpenAiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
