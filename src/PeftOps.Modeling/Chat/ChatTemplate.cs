using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Modeling.Chat.Jinja;

namespace PeftOps.Modeling.Chat;

/// <summary>One turn of a conversation, in OpenAI's and TRL's shape: role is system, user or assistant.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// A checkpoint's chat template (<c>chat_template</c> in <c>tokenizer_config.json</c>, Jinja), rendered as transformers'
/// <c>apply_chat_template</c> renders it, character for character: the variables are <c>messages</c>,
/// <c>add_generation_prompt</c>, <c>tools</c> and <c>documents</c> (both none) and the tokenizer's special tokens
/// (<c>bos_token</c>, <c>eos_token</c>, ...). A template that uses a Jinja feature <see cref="JinjaTemplate"/> does not
/// implement is refused when it is read; one that fails or calls <c>raise_exception</c> for a conversation is refused
/// when rendering it; both as <see cref="InputException"/> naming the template's file and line.
/// </summary>
public sealed partial class ChatTemplate
{
    private static readonly string[] SpecialTokenKeys = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    private readonly JinjaTemplate _template;
    private readonly Dictionary<string, object?> _specialTokens;

    private ChatTemplate(JinjaTemplate template, Dictionary<string, object?> specialTokens, string source, string text)
    {
        _template = template;
        _specialTokens = specialTokens;
        Source = source;
        Text = text;
    }

    /// <summary>Where the template came from (the tokenizer_config.json path), for messages.</summary>
    public string Source { get; }

    /// <summary>The template's Jinja source.</summary>
    public string Text { get; }

    /// <summary>The special tokens the template sees, by name (<c>bos_token</c>, <c>eos_token</c>, ...).</summary>
    public IReadOnlyDictionary<string, object?> SpecialTokens => _specialTokens;

    /// <summary>The template of a checkpoint folder, or null when its tokenizer_config.json has none.</summary>
    public static ChatTemplate? FromCheckpoint(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
            return null;
        using var config = ReadJson(path);
        if (!config.RootElement.TryGetProperty("chat_template", out var template) || template.ValueKind == JsonValueKind.Null)
            return null;
        var text = template.ValueKind switch
        {
            JsonValueKind.String => template.GetString()!,
            JsonValueKind.Array => Default(template, path),
            _ => throw new InputException($"{path}: chat_template must be a string or a list of {{name, template}} (was {template.ValueKind})"),
        };
        var tokens = new Dictionary<string, object?>(StringComparer.Ordinal);
        var mapPath = Path.Combine(folder, "special_tokens_map.json");
        using var map = File.Exists(mapPath) ? ReadJson(mapPath) : null;
        foreach (var source in new[] { map?.RootElement, config.RootElement })
        {
            if (source is not { ValueKind: JsonValueKind.Object } element)
                continue;
            foreach (var key in SpecialTokenKeys)
                if (element.TryGetProperty(key, out var value) && TokenText(value) is { Length: > 0 } token)
                    tokens[key] = token;
            if (element.TryGetProperty("additional_special_tokens", out var extra) && extra.ValueKind == JsonValueKind.Array && extra.GetArrayLength() > 0)
                tokens["additional_special_tokens"] = extra.EnumerateArray().Select(t => (object?)TokenText(t)).ToList();
        }
        return FromText(text, tokens, path);
    }

    /// <summary>A template from its text, with the special tokens it may reference (for tests and tools).</summary>
    public static ChatTemplate FromText(string template, IReadOnlyDictionary<string, object?> specialTokens, string source = "chat_template")
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(specialTokens);
        try
        {
            return new ChatTemplate(JinjaTemplate.Parse(template), new Dictionary<string, object?>(specialTokens, StringComparer.Ordinal), source, template);
        }
        catch (JinjaException e)
        {
            throw Refusal(source, e);
        }
    }

    /// <summary>The conversation as text; with <paramref name="addGenerationPrompt"/>, followed by the assistant's turn opening.</summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => Render(messages, addGenerationPrompt, null);

    /// <summary>
    /// As <see cref="Render(IReadOnlyList{ChatMessage}, bool)"/>, with extra template variables (as keyword arguments to
    /// <c>apply_chat_template</c>: <c>date_string</c> for Llama 3.x, ...), which take precedence over the special tokens.
    /// </summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables) =>
        RenderWithSpans(messages, addGenerationPrompt, variables).Text;

    private (string Text, IReadOnlyList<(int Start, int End)> GenerationSpans) RenderWithSpans(
        IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            throw new InputException($"{Source}: a conversation needs at least one message (transformers' apply_chat_template refuses an empty one)");
        var values = new Dictionary<string, object?>(_specialTokens, StringComparer.Ordinal);
        foreach (var (key, value) in variables ?? new Dictionary<string, object?>())
            values[key] = value;
        values["messages"] = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList();
        values["tools"] = null;
        values["documents"] = null;
        values["add_generation_prompt"] = addGenerationPrompt;
        try
        {
            return _template.RenderWithGenerationSpans(values);
        }
        catch (JinjaException e)
        {
            throw Refusal(Source, e);
        }
    }

    private static InputException Refusal(string source, JinjaException e) =>
        e.RaisedByTemplate
            ? new InputException($"{source}: the chat template refused the conversation (template line {e.Line}): {e.Message}", e)
            : new InputException($"{source}: chat template line {e.Line}: {e.Message}", e);

    private static JsonDocument ReadJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The <c>default</c> template of the list form <c>[{"name": ..., "template": ...}]</c>, as transformers picks it without tools.</summary>
    private static string Default(JsonElement templates, string path)
    {
        var named = templates.EnumerateArray()
            .Where(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("name", out _) && t.TryGetProperty("template", out _))
            .ToDictionary(t => t.GetProperty("name").GetString() ?? "", t => t.GetProperty("template").GetString() ?? "", StringComparer.Ordinal);
        return named.TryGetValue("default", out var template)
            ? template
            : throw new InputException($"{path}: chat_template has several templates and none named 'default' (found {string.Join(", ", named.Keys.Order(StringComparer.Ordinal))})");
    }

    /// <summary>A special token as a string: tokenizer_config.json writes either the text or an AddedToken object with <c>content</c>.</summary>
    private static string? TokenText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
        _ => null,
    };
}
