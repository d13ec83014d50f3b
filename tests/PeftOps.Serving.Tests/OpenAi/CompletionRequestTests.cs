using System.Text;
using PeftOps.Modeling.Chat;
using PeftOps.Serving.OpenAi;

namespace PeftOps.Serving.Tests.OpenAi;

/// <summary>What the completion endpoints read from OpenAI's request bodies, and how they refuse what they cannot honour.</summary>
public sealed class CompletionRequestTests
{
    private static CompletionRequest Chat(string json, int limit = 512) => CompletionRequest.Parse(Encoding.UTF8.GetBytes(json), chat: true, limit);

    private static CompletionRequest Text(string json, int limit = 512) => CompletionRequest.Parse(Encoding.UTF8.GetBytes(json), chat: false, limit);

    [Fact]
    public void A_chat_request_gives_the_messages_and_every_sampling_option()
    {
        var request = Chat("""
            {"model": "support-replies", "messages": [{"role": "developer", "content": "be brief"}, {"role": "user", "content": [{"type": "text", "text": "where is "}, {"type": "text", "text": "A-1234?"}]}],
             "max_completion_tokens": 40, "temperature": 0.7, "top_p": 0.9, "seed": 42, "stop": ["\n\n", "###"], "n": 1, "stream": true, "stream_options": {"include_usage": true},
             "user": "u-1", "logprobs": false, "presence_penalty": 0, "response_format": {"type": "text"}}
            """);

        Assert.Equal("support-replies", request.Model);
        Assert.Equal([new ChatMessage("system", "be brief"), new ChatMessage("user", "where is A-1234?")], request.Messages);
        Assert.Null(request.Prompt);
        Assert.Equal((40, 0.7, 0.9, 42L), (request.Options.MaxNewTokens, request.Options.Temperature, request.Options.TopP, request.Options.Seed));
        Assert.Equal(["\n\n", "###"], request.Options.Stop);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
    }

    [Fact]
    public void Defaults_are_OpenAI_s_temperature_1_and_top_p_1_with_16_tokens_for_completions_and_the_server_limit_for_chat()
    {
        var chat = Chat("""{"model": "m", "messages": [{"role": "user", "content": "hi"}]}""", limit: 300);
        var text = Text("""{"model": "m", "prompt": ["once upon"], "stop": "."}""");

        Assert.Equal((300, 1.0, 1.0, false), (chat.Options.MaxNewTokens, chat.Options.Temperature, chat.Options.TopP, chat.MaxTokensGiven));
        Assert.True(Chat("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}""").MaxTokensGiven);
        Assert.Equal((16, "once upon"), (text.Options.MaxNewTokens, text.Prompt));
        Assert.Equal(["."], text.Options.Stop);
        Assert.False(text.Stream);
        Assert.Null(text.Messages);
    }

    [Theory]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "n": 2}""", "n: 2 is not supported; this server generates one choice per request (n = 1)", "n", "unsupported_value")]
    [InlineData("""{"messages": []}""", "model: missing; expected a string", "model", null)]
    [InlineData("""{"model": "m"}""", "messages: missing; expected [{\"role\": \"user\", \"content\": \"...\"}]", "messages", null)]
    [InlineData("""{"model": "m", "messages": []}""", "messages: empty; expected at least one message", "messages", null)]
    [InlineData("""{"model": "m", "messages": [{"role": "tool", "content": "x"}]}""", "messages[0].role: 'tool' is not supported (expected system, developer, user or assistant)", "messages[0].role", "unsupported_value")]
    [InlineData("""{"model": "m", "messages": [{"role": "user"}]}""", "messages[0].content: missing; expected a string", "messages[0].content", null)]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}""",
        "messages[0].content[0]: only {\"type\": \"text\", \"text\": \"...\"} parts are supported (was type image_url)", "messages[0].content[0]", "unsupported_value")]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 513}""", "max_tokens: 513, at most 512 on this server", "max_tokens", "invalid_value")]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_completion_tokens": 0}""", "max_completion_tokens: 0, expected at least 1", "max_completion_tokens", "invalid_value")]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 2.5}""", "temperature: 2.5, expected a number between 0 and 2", "temperature", "invalid_value")]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "top_p": 0}""", "top_p: 0, expected a number above 0 and at most 1", "top_p", "invalid_value")]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "seed": 1.5}""", "seed: 1.5, expected an integer", "seed", null)]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "stop": ["a", "b", "c", "d", "e"]}""", "stop: 5 sequences, at most 4", "stop", null)]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "stop": [""]}""", "stop[0]: empty; expected a stop sequence", "stop[0]", null)]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream_options": {"include_usage": true}}""", "stream_options: only allowed when stream is true", "stream_options", null)]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "logprobs": true}""", "logprobs: not supported by this server (send it without logprobs)", "logprobs", "unsupported_parameter")]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "tools": []}""", "tools: not supported by this server (send it without tools)", "tools", "unsupported_parameter")]
    [InlineData("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "frequency_penalty": 0.5}""", "frequency_penalty: not supported by this server (send it without frequency_penalty)", "frequency_penalty", "unsupported_parameter")]
    [InlineData("""["m"]""", "body: a JSON array, expected an object", null, null)]
    public void A_chat_request_it_cannot_honour_is_refused_naming_the_field(string json, string message, string? param, string? code)
    {
        var error = Assert.Throws<OpenAiError>(() => Chat(json));

        Assert.Equal((400, message, param, code, "invalid_request_error"), (error.Status, error.Message, error.Param, error.Code, error.Type));
    }

    [Theory]
    [InlineData("""{"model": "m"}""", "prompt: missing; expected a string", "prompt")]
    [InlineData("""{"model": "m", "prompt": ["a", "b"]}""", "prompt: an array of prompts or of token ids is not supported; send one string", "prompt")]
    [InlineData("""{"model": "m", "prompt": [1, 2, 3]}""", "prompt: an array of prompts or of token ids is not supported; send one string", "prompt")]
    [InlineData("""{"model": "m", "prompt": "x", "echo": true}""", "echo: not supported by this server (send it without echo)", "echo")]
    [InlineData("""{"model": "m", "prompt": "x", "best_of": 3}""", "best_of: not supported by this server (send it without best_of)", "best_of")]
    [InlineData("""{"model": "m", "prompt": "x", "max_completion_tokens": 3}""", "max_completion_tokens: not supported by this server (send it without max_completion_tokens)", "max_completion_tokens")]
    public void A_completions_request_it_cannot_honour_is_refused_naming_the_field(string json, string message, string param)
    {
        var error = Assert.Throws<OpenAiError>(() => Text(json));

        Assert.Equal((400, message, param), (error.Status, error.Message, error.Param));
    }

    [Fact]
    public void A_body_that_is_not_JSON_is_refused()
    {
        var error = Assert.Throws<OpenAiError>(() => Chat("""{"model": "m", """));

        Assert.StartsWith("body: not JSON (", error.Message, StringComparison.Ordinal);
        Assert.Equal("""{"error":{"message":"x","type":"invalid_request_error","param":null,"code":null}}""",
            System.Text.Json.JsonSerializer.Serialize(new OpenAiError(400, "x").Body(), OpenAiJson.Options));
    }
}
