using System.Text.Json;
using PeftOps.Contracts;

namespace PeftOps.Cli.Commands;

/// <summary>
/// One line of <c>peftops generate</c>'s input: exactly one of <c>prompt</c> (raw text), <c>messages</c> (a chat) or
/// <c>input_ids</c> (token ids), and an optional <c>id</c> copied to the output as it was written.
/// </summary>
internal sealed record GenerateInput(int Line, string? IdJson, string? Prompt, IReadOnlyList<(string Role, string Content)>? Messages, int[]? InputIds)
{
    private static readonly string[] PromptKeys = ["prompt", "messages", "input_ids"];

    /// <summary>Every non-blank line of <paramref name="path"/>; a bad line is an <see cref="InputException"/> naming file, line and key.</summary>
    public static List<GenerateInput> ReadAll(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"--input {path}: file not found (expected JSONL: {{\"prompt\": ...}}, {{\"messages\": [...]}} or {{\"input_ids\": [...]}} per line)");
        var rows = new List<GenerateInput>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var doc = JsonInput.Parse($"{path}:{lineNumber}", line);
            rows.Add(Read(doc.RootElement, $"{path}:{lineNumber}", lineNumber));
        }
        if (rows.Count == 0)
            throw new InputException($"--input {path}: no rows (expected one JSON object per line)");
        return rows;
    }

    private static GenerateInput Read(JsonElement root, string where, int line)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InputException($"{where}: not a JSON object (expected {{\"prompt\": ...}}, {{\"messages\": [...]}} or {{\"input_ids\": [...]}})");
        var given = PromptKeys.Where(k => root.TryGetProperty(k, out _)).ToList();
        if (given.Count != 1)
            throw new InputException($"{where}: {(given.Count == 0 ? "prompt missing" : $"{string.Join(" and ", given)} given together")} (expected exactly one of prompt, messages, input_ids)");
        string? id = null;
        if (root.TryGetProperty("id", out var idValue))
        {
            id = idValue.ValueKind is JsonValueKind.String or JsonValueKind.Number ? idValue.GetRawText()
                : throw new InputException($"{where}: id must be a string or a number (was {idValue.GetRawText()})");
        }
        var value = root.GetProperty(given[0]);
        return given[0] switch
        {
            "prompt" => new GenerateInput(line, id, value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0 ? value.GetString()
                : throw new InputException($"{where}: prompt must be a non-empty string (was {Short(value)})"), null, null),
            "messages" => new GenerateInput(line, id, null, ReadMessages(value, where), null),
            _ => new GenerateInput(line, id, null, null, Ids(value, where)),
        };
    }

    private static List<(string, string)> ReadMessages(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            throw new InputException($"{where}: messages must be a non-empty array of {{\"role\", \"content\"}} (was {Short(value)})");
        var messages = new List<(string, string)>();
        var i = 0;
        foreach (var message in value.EnumerateArray())
        {
            string Field(string key) =>
                message.ValueKind == JsonValueKind.Object && message.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
                : throw new InputException($"{where}: messages[{i}].{key} must be a string (was {Short(message)})");
            messages.Add((Field("role"), Field("content")));
            i++;
        }
        return messages;
    }

    private static int[] Ids(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            throw new InputException($"{where}: input_ids must be a non-empty array of token ids (was {Short(value)})");
        var ids = new int[value.GetArrayLength()];
        for (var i = 0; i < ids.Length; i++)
        {
            var e = value[i];
            ids[i] = e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var id) && id >= 0 ? id
                : throw new InputException($"{where}: input_ids[{i}] must be a non-negative integer (was {Short(e)})");
        }
        return ids;
    }

    private static string Short(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 60 ? raw : raw[..57] + "...";
    }
}
