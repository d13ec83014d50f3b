using System.Text.Json.Serialization;

namespace PeftOps.Serving.OpenAi;

/// <summary>Token counts of one request, as OpenAI reports them.</summary>
public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public static Usage Of(int prompt, int completion) => new(prompt, completion, prompt + completion);
}

/// <summary><c>POST /v1/chat/completions</c> without streaming: <c>object</c> is <c>chat.completion</c>.</summary>
/// <param name="SystemFingerprint">The adapter version that answered, <c>ADAPTER@VERSION</c>.</param>
public sealed record ChatCompletion(string Id, string Object, long Created, string Model, string SystemFingerprint, IReadOnlyList<ChatChoice> Choices, Usage Usage);

public sealed record ChatChoice(int Index, AssistantMessage Message, object? Logprobs, string FinishReason);

public sealed record AssistantMessage(string Role, string Content, object? Refusal);

/// <summary>One server-sent event of a streamed chat completion: <c>object</c> is <c>chat.completion.chunk</c>.</summary>
/// <param name="Usage">Null on every chunk but the last one of a request with <c>stream_options.include_usage</c>, whose <c>choices</c> are empty.</param>
public sealed record ChatCompletionChunk(string Id, string Object, long Created, string Model, string SystemFingerprint, IReadOnlyList<ChatChunkChoice> Choices, Usage? Usage);

public sealed record ChatChunkChoice(int Index, ChatDelta Delta, object? Logprobs, string? FinishReason);

/// <summary>What a chunk adds: the role on the first chunk only, then text.</summary>
public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

/// <summary><c>POST /v1/completions</c>, whole or as one chunk of a stream: <c>object</c> is <c>text_completion</c> either way.</summary>
public sealed record TextCompletion(string Id, string Object, long Created, string Model, string SystemFingerprint, IReadOnlyList<TextChoice> Choices, Usage? Usage);

public sealed record TextChoice(string Text, int Index, object? Logprobs, string? FinishReason);

/// <summary><c>GET /v1/models</c>: <c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record ModelList(string Object, IReadOnlyList<ModelCard> Data);

/// <summary>
/// One served decoder adapter in OpenAI's model shape (<c>id</c> is what requests name as <c>model</c>; <c>created</c>
/// is when this server started serving the version), with the version and stage PeftOps adds.
/// </summary>
public sealed record ModelCard(string Id, string Object, long Created, string OwnedBy, string Version, string Stage);
