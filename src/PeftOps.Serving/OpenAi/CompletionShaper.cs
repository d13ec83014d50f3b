using System.Security.Cryptography;

namespace PeftOps.Serving.OpenAi;

/// <summary>
/// The bodies of one completion, whole or streamed, all carrying the same <c>id</c>, <c>created</c>, <c>model</c>
/// and <c>system_fingerprint</c>; chat (<c>chatcmpl-</c> ids) or text (<c>cmpl-</c> ids).
/// </summary>
public sealed class CompletionShaper
{
    private readonly bool _chat;
    private readonly string _model;
    private readonly string _fingerprint;

    /// <param name="model">The adapter's name, as the request named it.</param>
    /// <param name="fingerprint">The version that answers, <c>ADAPTER@VERSION</c>.</param>
    public CompletionShaper(bool chat, string model, string fingerprint, DateTimeOffset now)
    {
        _chat = chat;
        _model = model;
        _fingerprint = fingerprint;
        Id = (chat ? "chatcmpl-" : "cmpl-") + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        Created = now.ToUnixTimeSeconds();
    }

    public string Id { get; }

    public long Created { get; }

    /// <summary>The whole answer (<c>stream</c> false).</summary>
    public object Whole(string text, string finishReason, Usage usage) => _chat
        ? new ChatCompletion(Id, "chat.completion", Created, _model, _fingerprint, [new ChatChoice(0, new AssistantMessage("assistant", text, null), null, finishReason)], usage)
        : new TextCompletion(Id, "text_completion", Created, _model, _fingerprint, [new TextChoice(text, 0, null, finishReason)], usage);

    /// <summary>The chunk before any text: chat streams open with the assistant's role; text streams have none.</summary>
    public object? Opening() => _chat ? ChatChunk(new ChatDelta("assistant", ""), null) : null;

    /// <summary>A chunk with new text.</summary>
    public object Delta(string text) => _chat ? ChatChunk(new ChatDelta(null, text), null) : TextChunk(text, null);

    /// <summary>The chunk that says why generation ended.</summary>
    public object Finish(string finishReason) => _chat ? ChatChunk(new ChatDelta(null, null), finishReason) : TextChunk("", finishReason);

    /// <summary>The last chunk of a request with <c>stream_options.include_usage</c>: no choices, the usage.</summary>
    public object UsageChunk(Usage usage) => _chat
        ? new ChatCompletionChunk(Id, "chat.completion.chunk", Created, _model, _fingerprint, [], usage)
        : new TextCompletion(Id, "text_completion", Created, _model, _fingerprint, [], usage);

    private ChatCompletionChunk ChatChunk(ChatDelta delta, string? finishReason) =>
        new(Id, "chat.completion.chunk", Created, _model, _fingerprint, [new ChatChunkChoice(0, delta, null, finishReason)], null);

    private TextCompletion TextChunk(string text, string? finishReason) =>
        new(Id, "text_completion", Created, _model, _fingerprint, [new TextChoice(text, 0, null, finishReason)], null);
}
