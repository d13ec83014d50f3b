using System.Text.Json;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Generation;
using PeftOps.Serving.Http;

namespace PeftOps.Serving.OpenAi;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c> (<see cref="Messages"/>) or <c>POST /v1/completions</c>
/// (<see cref="Prompt"/>) in OpenAI's shape, read into what the generator needs. Every field PeftOps cannot honour is
/// refused with an <see cref="OpenAiError"/> naming it rather than ignored (<c>n</c> other than 1, log-probabilities,
/// tools, penalties); fields that do not change the answer (<c>user</c>, <c>metadata</c>, <c>name</c>) are ignored.
/// </summary>
/// <param name="Model">The adapter's name.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage</c>: a last chunk carries <c>usage</c>.</param>
/// <param name="MaxTokensGiven">False when the request named no <c>max_tokens</c>: then the default in
/// <see cref="GenerationOptions.MaxNewTokens"/> gives way to the room the prompt leaves in the model's context.</param>
public sealed record CompletionRequest(string Model, IReadOnlyList<ChatMessage>? Messages, string? Prompt, GenerationOptions Options, bool Stream, bool IncludeUsage,
    bool MaxTokensGiven = true)
{
    /// <summary>OpenAI's default <c>max_tokens</c> for <c>/v1/completions</c>; chat defaults to the server's limit.</summary>
    public const int CompletionsDefaultMaxTokens = 16;

    /// <summary>OpenAI accepts at most four stop sequences.</summary>
    public const int MaxStops = 4;

    private static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    /// <param name="chat">True for <c>/v1/chat/completions</c>, false for <c>/v1/completions</c>.</param>
    /// <param name="maxNewTokens">The most tokens a request may ask for (<see cref="ServeOptions.MaxNewTokens"/>).</param>
    public static CompletionRequest Parse(ReadOnlySpan<byte> json, bool chat, int maxNewTokens)
    {
        using (var document = RequestBody.Json(json, maxDepth: 16, reason => new OpenAiError(400, $"body: not JSON ({reason})")))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new OpenAiError(400, $"body: a JSON {Kind(root)}, expected an object");
            var model = RequiredString(root, "model");
            Unsupported(root, chat);
            var n = OptionalLong(root, "n");
            if (n is not null and not 1)
                throw new OpenAiError(400, $"n: {n} is not supported; this server generates one choice per request (n = 1)", "n", "unsupported_value");
            var stream = Optional(root, "stream") is { } s ? Boolean(s, "stream") : false;
            var includeUsage = false;
            if (Optional(root, "stream_options") is { } so)
            {
                if (!stream)
                    throw new OpenAiError(400, "stream_options: only allowed when stream is true", "stream_options");
                if (so.ValueKind != JsonValueKind.Object)
                    throw new OpenAiError(400, $"stream_options: a JSON {Kind(so)}, expected an object", "stream_options");
                includeUsage = so.TryGetProperty("include_usage", out var u) && u.ValueKind != JsonValueKind.Null && Boolean(u, "stream_options.include_usage");
            }
            var options = new GenerationOptions
            {
                MaxNewTokens = MaxTokens(root, chat, maxNewTokens),
                Temperature = OptionalNumber(root, "temperature", 0, 2, "between 0 and 2") ?? 1.0,
                TopP = OptionalNumber(root, "top_p", 0, 1, "above 0 and at most 1", exclusiveMinimum: true) ?? 1.0,
                Seed = OptionalLong(root, "seed") ?? Random.Shared.NextInt64(),
                Stop = Stops(root),
            };
            var given = Optional(root, "max_tokens") is not null || (chat && Optional(root, "max_completion_tokens") is not null);
            return chat
                ? new CompletionRequest(model, ReadMessages(root), null, options, stream, includeUsage, given)
                : new CompletionRequest(model, null, ReadPrompt(root), options, stream, includeUsage, given);
        }
    }

    private static int MaxTokens(JsonElement root, bool chat, int limit)
    {
        var name = chat && Optional(root, "max_completion_tokens") is not null ? "max_completion_tokens" : "max_tokens";
        var value = OptionalLong(root, name);
        if (value is null)
            return chat ? limit : Math.Min(CompletionsDefaultMaxTokens, limit);
        if (value < 1)
            throw new OpenAiError(400, $"{name}: {value}, expected at least 1", name, "invalid_value");
        if (value > limit)
            throw new OpenAiError(400, $"{name}: {value}, at most {limit} on this server", name, "invalid_value");
        return (int)value.Value;
    }

    private static List<string> Stops(JsonElement root)
    {
        var stop = Optional(root, "stop");
        if (stop is null)
            return [];
        var value = stop.Value;
        List<(string Param, JsonElement Element)> items = value.ValueKind switch
        {
            JsonValueKind.String => [("stop", value)],
            JsonValueKind.Array => [.. value.EnumerateArray().Select((e, i) => ($"stop[{i}]", e))],
            _ => throw new OpenAiError(400, $"stop: a JSON {Kind(value)}, expected a string or an array of strings", "stop"),
        };
        if (items.Count > MaxStops)
            throw new OpenAiError(400, $"stop: {items.Count} sequences, at most {MaxStops}", "stop");
        var stops = new List<string>();
        foreach (var (param, element) in items)
        {
            if (element.ValueKind != JsonValueKind.String)
                throw new OpenAiError(400, $"{param}: a JSON {Kind(element)}, expected a string", param);
            var text = element.GetString()!;
            if (text.Length == 0)
                throw new OpenAiError(400, $"{param}: empty; expected a stop sequence", param);
            stops.Add(text);
        }
        return stops;
    }

    private static List<ChatMessage> ReadMessages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
            throw new OpenAiError(400, "messages: missing; expected [{\"role\": \"user\", \"content\": \"...\"}]", "messages");
        if (messages.ValueKind != JsonValueKind.Array)
            throw new OpenAiError(400, $"messages: a JSON {Kind(messages)}, expected an array of messages", "messages");
        if (messages.GetArrayLength() == 0)
            throw new OpenAiError(400, "messages: empty; expected at least one message", "messages");
        var result = new List<ChatMessage>();
        foreach (var message in messages.EnumerateArray())
        {
            var where = $"messages[{result.Count}]";
            if (message.ValueKind != JsonValueKind.Object)
                throw new OpenAiError(400, $"{where}: a JSON {Kind(message)}, expected an object with role and content", where);
            var role = RequiredString(message, "role", where);
            if (!Roles.Contains(role, StringComparer.Ordinal))
                throw new OpenAiError(400, $"{where}.role: '{role}' is not supported (expected system, developer, user or assistant)", $"{where}.role", "unsupported_value");
            // OpenAI's developer role is the system role of newer models; checkpoint templates know system
            result.Add(new ChatMessage(role == "developer" ? "system" : role, Content(message, where)));
        }
        return result;
    }

    /// <summary>A string, or OpenAI's array of content parts of which only <c>text</c> parts are supported, joined.</summary>
    private static string Content(JsonElement message, string where)
    {
        var param = $"{where}.content";
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
            throw new OpenAiError(400, $"{param}: missing; expected a string", param);
        if (content.ValueKind == JsonValueKind.String)
            return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            throw new OpenAiError(400, $"{param}: a JSON {Kind(content)}, expected a string or an array of text parts", param);
        var text = new System.Text.StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partParam = $"{param}[{i++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type != "text" || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                throw new OpenAiError(400, $"{partParam}: only {{\"type\": \"text\", \"text\": \"...\"}} parts are supported (was type {type ?? "missing"})", partParam, "unsupported_value");
            text.Append(partText.GetString());
        }
        return text.ToString();
    }

    private static string ReadPrompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null)
            throw new OpenAiError(400, "prompt: missing; expected a string", "prompt");
        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
            return prompt[0].GetString()!;
        if (prompt.ValueKind == JsonValueKind.Array)
            throw new OpenAiError(400, "prompt: an array of prompts or of token ids is not supported; send one string", "prompt", "unsupported_value");
        if (prompt.ValueKind != JsonValueKind.String)
            throw new OpenAiError(400, $"prompt: a JSON {Kind(prompt)}, expected a string", "prompt");
        return prompt.GetString()!;
    }

    /// <summary>Fields PeftOps does not implement, refused when they ask for something other than their default.</summary>
    private static void Unsupported(JsonElement root, bool chat)
    {
        foreach (var property in root.EnumerateObject())
        {
            var v = property.Value;
            var asks = property.Name switch
            {
                "logprobs" => v.ValueKind is not (JsonValueKind.Null or JsonValueKind.False),
                "top_logprobs" or "tools" or "tool_choice" or "functions" or "function_call" or "suffix" or "audio" or "prediction" => v.ValueKind != JsonValueKind.Null,
                "logit_bias" => v.ValueKind == JsonValueKind.Object ? v.EnumerateObject().Any() : v.ValueKind != JsonValueKind.Null,
                "presence_penalty" or "frequency_penalty" => v.ValueKind != JsonValueKind.Null && !(v.ValueKind == JsonValueKind.Number && v.GetDouble() == 0),
                "echo" => v.ValueKind == JsonValueKind.True,
                "best_of" => v.ValueKind != JsonValueKind.Null && !(v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var b) && b == 1),
                "response_format" => v.ValueKind != JsonValueKind.Null
                    && !(v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "text"),
                "max_completion_tokens" => !chat && v.ValueKind != JsonValueKind.Null,
                _ => false,
            };
            if (asks)
                throw new OpenAiError(400, $"{property.Name}: not supported by this server (send it without {property.Name})", property.Name, "unsupported_parameter");
        }
    }

    private static JsonElement? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string RequiredString(JsonElement element, string name, string? parent = null)
    {
        var param = parent is null ? name : $"{parent}.{name}";
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new OpenAiError(400, $"{param}: missing; expected a string", param);
        if (value.ValueKind != JsonValueKind.String)
            throw new OpenAiError(400, $"{param}: a JSON {Kind(value)}, expected a string", param);
        return value.GetString()!;
    }

    private static bool Boolean(JsonElement value, string param) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new OpenAiError(400, $"{param}: a JSON {Kind(value)}, expected true or false", param),
    };

    private static long? OptionalLong(JsonElement root, string name)
    {
        if (Optional(root, name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
            throw new OpenAiError(400, $"{name}: {value.GetRawText()}, expected an integer", name);
        return number;
    }

    private static double? OptionalNumber(JsonElement root, string name, double min, double max, string expected, bool exclusiveMinimum = false)
    {
        if (Optional(root, name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Number)
            throw new OpenAiError(400, $"{name}: a JSON {Kind(value)}, expected a number {expected}", name);
        var number = value.GetDouble();
        if (number > max || number < min || (exclusiveMinimum && number <= min))
            throw new OpenAiError(400, $"{name}: {value.GetRawText()}, expected a number {expected}", name, "invalid_value");
        return number;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };
}
