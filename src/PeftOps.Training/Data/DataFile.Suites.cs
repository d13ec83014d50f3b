using System.Globalization;
using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;
using PeftOps.Modeling.Chat;

namespace PeftOps.Training.Data;

public static partial class DataFile
{
    /// <summary>
    /// A multiple-choice suite: JSONL rows <c>{"question": ..., "choices": [...], "gold": INDEX}</c> with an optional
    /// string <c>id</c> (default: the line number), as lm-evaluation-harness's multiple-choice tasks are shaped.
    /// </summary>
    public static IReadOnlyList<MultipleChoiceRow> ReadMultipleChoice(string path)
    {
        const string shape = "{\"question\": \"...\", \"choices\": [\"...\", ...], \"gold\": INDEX}";
        var rows = JsonLines(path, (root, line) =>
        {
            var where = $"{path}:{line}";
            CheckKeys(where, root, ["id", "question", "choices", "gold"]);
            var question = root.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : null;
            if (string.IsNullOrWhiteSpace(question))
                throw new InputException($"{where}: question missing or empty (expected {shape})");
            var choices = Strings(where, root, "choices");
            if (choices.Count < 2 || choices.Any(string.IsNullOrEmpty))
                throw new InputException($"{where}: choices must be a list of at least two non-empty strings (expected {shape})");
            if (!root.TryGetProperty("gold", out var g) || g.ValueKind != JsonValueKind.Number || !g.TryGetInt32(out var gold) || gold < 0 || gold >= choices.Count)
                throw new InputException($"{where}: gold must be the index of the right choice, 0 to {choices.Count - 1} (was {(root.TryGetProperty("gold", out var raw) ? Shorten(raw.GetRawText()) : "missing")})");
            return new MultipleChoiceRow(Id(where, root, line), question, choices, gold, line);
        });
        return CheckedRows(path, rows, r => r.Id, r => r.Line);
    }

    /// <summary>
    /// A generation suite: JSONL rows with the prompt as <c>"prompt": "..."</c> or <c>"messages": [{"role", "content"}, ...]</c>
    /// (rendered with the base checkpoint's chat template), an optional <c>id</c>, and what the answer is checked against:
    /// <c>reference</c>, <c>contains</c>, <c>not_contains</c>, <c>regex</c>, <c>not_regex</c> (lists of strings), <c>json</c>
    /// (true) and <c>json_schema</c> (an object). A row must ask at least one of these.
    /// </summary>
    public static IReadOnlyList<GenerationRow> ReadGeneration(string path)
    {
        var rows = JsonLines(path, (root, line) =>
        {
            var where = $"{path}:{line}";
            CheckKeys(where, root, ["id", "prompt", "messages", "reference", .. MetricNames.Requirements]);
            var prompt = root.TryGetProperty("prompt", out var p) ? (p.ValueKind == JsonValueKind.String ? p.GetString() : throw new InputException($"{where}: prompt must be a string")) : null;
            var messages = root.TryGetProperty("messages", out var m) ? Messages(where, m) : null;
            if ((prompt is null) == (messages is null))
                throw new InputException($"{where}: expected exactly one of prompt (a string) and messages (a list of {{\"role\", \"content\"}})");
            var reference = root.TryGetProperty("reference", out var r) ? (r.ValueKind == JsonValueKind.String ? r.GetString() : throw new InputException($"{where}: reference must be a string")) : null;
            var json = root.TryGetProperty("json", out var j) && (j.ValueKind is JsonValueKind.True or JsonValueKind.False ? j.GetBoolean() : throw new InputException($"{where}: json must be true or false"));
            string? schema = null;
            if (root.TryGetProperty("json_schema", out var s))
                schema = s.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False ? s.GetRawText() : throw new InputException($"{where}: json_schema must be a JSON Schema object");
            var checks = GenerationChecks.Create(where, reference, Strings(where, root, "contains"), Strings(where, root, "not_contains"),
                Strings(where, root, "regex"), Strings(where, root, "not_regex"), json, schema);
            if (checks.IsEmpty)
                throw new InputException($"{where}: the row checks nothing (expected a reference or one of {string.Join(", ", MetricNames.Requirements)})");
            return new GenerationRow(Id(where, root, line), prompt, messages, checks, line);
        });
        return CheckedRows(path, rows, r => r.Id, r => r.Line);
    }

    private static IReadOnlyList<ChatMessage> Messages(string where, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            throw new InputException($"{where}: messages must be a non-empty list of {{\"role\": \"system|user|assistant\", \"content\": \"...\"}}");
        var messages = new List<ChatMessage>();
        foreach (var (message, i) in value.EnumerateArray().Select((x, i) => (x, i)))
        {
            string? Field(string name) => message.ValueKind == JsonValueKind.Object && message.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            var (role, content) = (Field("role"), Field("content"));
            if (role is not ("system" or "user" or "assistant") || content is null)
                throw new InputException($"{where}: messages[{i}] must be {{\"role\": \"system|user|assistant\", \"content\": \"...\"}} (was {Shorten(message.GetRawText())})");
            messages.Add(new ChatMessage(role, content));
        }
        return messages;
    }

    private static IReadOnlyList<string> Strings(string where, JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var value))
            return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            throw new InputException($"{where}: {key} must be a list of strings (was {Shorten(value.GetRawText())})");
        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static string Id(string where, JsonElement root, int line)
    {
        if (!root.TryGetProperty("id", out var id))
            return line.ToString(CultureInfo.InvariantCulture);
        return id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text
            ? text
            : throw new InputException($"{where}: id must be a non-empty string (was {Shorten(id.GetRawText())})");
    }

    // a misspelt key ("refrence") would otherwise silently check nothing
    private static void CheckKeys(string where, JsonElement root, IReadOnlyList<string> known)
    {
        foreach (var property in root.EnumerateObject().Where(p => !known.Contains(p.Name)))
            throw new InputException($"{where}: unknown key '{property.Name}' (expected: {string.Join(", ", known)})");
    }

    private static IReadOnlyList<T> CheckedRows<T>(string path, IReadOnlyList<T> rows, Func<T, string> id, Func<T, int> line)
    {
        if (rows.Count == 0)
            throw new InputException($"{path}: no examples (expected one per line)");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!seen.TryAdd(id(row), line(row)))
                throw new InputException($"{path}:{line(row)}: id '{id(row)}' was already used on line {seen[id(row)]} (ids pair examples across evaluations, so they must be unique)");
        }
        return rows;
    }
}

/// <param name="Gold">the index of the right choice.</param>
public sealed record MultipleChoiceRow(string Id, string Question, IReadOnlyList<string> Choices, int Gold, int Line);

/// <summary>A generation row: the prompt as text or as chat messages (one of the two), and the checks on the answer.</summary>
public sealed record GenerationRow(string Id, string? Prompt, IReadOnlyList<ChatMessage>? Messages, GenerationChecks Checks, int Line);
