using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PeftOps.Training.Data;

/// <summary>
/// Reads the data formats of the command-line contract: JSONL or CSV (with a header) with <c>text</c> and
/// <c>label</c>; JSONL with only <c>text</c> (off-topic messages); sentence-pair TSV <c>score, s1, s2</c> or
/// <c>genre, score, s1, s2</c>; for a causal LM, JSONL of <c>prompt</c>/<c>response</c> pairs or of chat
/// conversations (<c>messages</c>). Every error names the file and line; an empty file is an error.
/// </summary>
public static partial class DataFile
{
    public static IReadOnlyList<LabeledText> ReadLabeled(string path, bool labelRequired = true)
    {
        var rows = DataReference.Parse(path) is (var file, { } split) ? ReadJsonSplit(file, split, labelRequired)
            : Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(path, labelRequired) : ReadJsonl(path, labelRequired);
        if (rows.Count == 0)
            throw new InputException($"{path}: no examples (expected one per line)");
        return rows;
    }

    /// <summary>JSONL with <c>prompt</c> and <c>response</c> (supervised fine-tuning of a causal LM).</summary>
    /// <param name="allowEmptyResponse">true: an empty response is read (the data check reports it) instead of refused.</param>
    public static IReadOnlyList<PromptResponse> ReadPromptResponse(string path, bool allowEmptyResponse = false) =>
        ReadCausalLm(path, allowEmptyResponse) is { Pairs: { } pairs } ? pairs
            : throw new InputException($"{path}: chat rows ({{\"messages\": ...}}) where prompt/response rows are expected");

    /// <summary>
    /// A causal LM's JSONL, in the format its rows' keys choose: <c>messages</c> (chat, as OpenAI's fine-tuning API and
    /// TRL write it) or <c>prompt</c> and <c>response</c>. One file holds one format; a row of the other is refused.
    /// </summary>
    public static CausalLmFile ReadCausalLm(string path, bool allowEmptyResponse = false)
    {
        var firstChat = (int?)null;
        var firstPair = (int?)null;
        var rows = JsonLines(path, (root, lineNumber) =>
        {
            var isChat = root.TryGetProperty("messages", out _);
            if (isChat ? firstPair is not null : firstChat is not null)
                throw new InputException(isChat
                    ? $"{path}:{lineNumber}: messages: a chat row in a file of prompt/response rows (line {firstPair}); one file holds one format"
                    : $"{path}:{lineNumber}: a prompt/response row in a file of chat rows (line {firstChat}, {{\"messages\": ...}}); one file holds one format");
            if (isChat)
            {
                firstChat ??= lineNumber;
                return (object)ReadConversation(path, root, lineNumber);
            }
            firstPair ??= lineNumber;
            string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var (prompt, response) = (Field("prompt"), Field("response"));
            if (prompt is null || response is null || (!allowEmptyResponse && string.IsNullOrWhiteSpace(response)))
                throw new InputException($"{path}:{lineNumber}: expected {{\"prompt\": ..., \"response\": ...}} with a non-empty response, or {{\"messages\": [...]}}");
            return new PromptResponse(prompt, response, lineNumber);
        });
        if (rows.Count == 0)
            throw new InputException($"{path}: no examples (expected one per line)");
        return firstChat is not null
            ? new CausalLmFile(null, rows.Cast<ChatConversation>().ToList())
            : new CausalLmFile(rows.Cast<PromptResponse>().ToList(), null);
    }

    private static readonly string[] ChatRoles = ["system", "user", "assistant"];

    private static ChatConversation ReadConversation(string path, JsonElement root, int lineNumber)
    {
        var messages = root.GetProperty("messages");
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            throw new InputException($"{path}:{lineNumber}: messages must be a non-empty list of {{\"role\": ..., \"content\": ...}} (was {Shorten(messages.GetRawText())})");
        var turns = new List<ChatMessage>();
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
                throw new InputException($"{path}:{lineNumber}: messages[{i}] must be an object {{\"role\": ..., \"content\": ...}} (was {Shorten(message.GetRawText())})");
            var role = message.TryGetProperty("role", out var r) ? r : default;
            if (role.ValueKind != JsonValueKind.String || !ChatRoles.Contains(role.GetString()))
                throw new InputException($"{path}:{lineNumber}: messages[{i}].role must be system, user or assistant (was {(role.ValueKind == JsonValueKind.Undefined ? "missing" : Shorten(role.GetRawText()))})");
            var content = message.TryGetProperty("content", out var c) ? c : default;
            if (content.ValueKind != JsonValueKind.String)
                throw new InputException($"{path}:{lineNumber}: messages[{i}].content must be a string (was {(content.ValueKind == JsonValueKind.Undefined ? "missing" : Shorten(content.GetRawText()))})");
            turns.Add(new ChatMessage(role.GetString()!, content.GetString()!));
            i++;
        }
        if (!turns.Any(t => t.Role == "assistant"))
            throw new InputException($"{path}:{lineNumber}: messages: no assistant turn (the loss covers assistant turns; expected at least one {{\"role\": \"assistant\", ...}})");
        return new ChatConversation(turns, lineNumber);
    }

    public static IReadOnlyList<SentencePair> ReadPairs(string path)
    {
        var pairs = new List<SentencePair>();
        foreach (var (line, lineNumber) in NumberedLines(path))
        {
            var cols = line.Split('\t');
            var (scoreText, s1, s2) = cols.Length switch
            {
                3 => (cols[0], cols[1], cols[2]),
                4 => (cols[1], cols[2], cols[3]),
                _ => throw new InputException($"{path}:{lineNumber}: expected 3 or 4 tab-separated columns (score, sentence1, sentence2 or genre, score, sentence1, sentence2), found {cols.Length}"),
            };
            if (!double.TryParse(scoreText, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || score < 0 || score > 5)
                throw new InputException($"{path}:{lineNumber}: score must be a number from 0 to 5 (was '{scoreText}')");
            pairs.Add(new SentencePair(s1, s2, score, lineNumber));
        }
        if (pairs.Count == 0)
            throw new InputException($"{path}: no sentence pairs (expected one per line)");
        return pairs;
    }

    /// <summary>The sha256 of the file a data path reads (the whole file for a <c>file.json#split</c>).</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(DataReference.FileOf(path));
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// <c>file.json#split</c>: the list under key <c>split</c> of a JSON object, each row <c>[text, label]</c> (CLINC150's
    /// <c>data_full.json</c>); a row's number is its 1-based position in the list, and errors name it as <c>file#split:N</c>.
    /// </summary>
    private static List<LabeledText> ReadJsonSplit(string file, string split, bool labelRequired)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new InputException($"{file}: not JSON ({e.Message.Split('.')[0]})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(split, out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                var keys = doc.RootElement.ValueKind == JsonValueKind.Object ? string.Join(", ", doc.RootElement.EnumerateObject().Select(p => p.Name)) : "none";
                throw new InputException($"{file}#{split}: no list '{split}' in the file (expected an object of splits; its keys: {keys})");
            }
            var result = new List<LabeledText>();
            var n = 0;
            foreach (var row in rows.EnumerateArray())
            {
                n++;
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() is < 1 or > 2 || row[0].ValueKind != JsonValueKind.String
                    || (row.GetArrayLength() == 2 && row[1].ValueKind != JsonValueKind.String))
                    throw new InputException($"{file}#{split}:{n}: expected [text, label] (was {Shorten(row.GetRawText())})");
                var text = row[0].GetString()!;
                var label = row.GetArrayLength() == 2 ? row[1].GetString()! : "";
                if (string.IsNullOrWhiteSpace(text))
                    throw new InputException($"{file}#{split}:{n}: text missing or empty (expected [text, label])");
                if (labelRequired && string.IsNullOrWhiteSpace(label))
                    throw new InputException($"{file}#{split}:{n}: label missing (expected [text, label])");
                result.Add(new LabeledText(text, label, n));
            }
            return result;
        }
    }

    private static List<LabeledText> ReadJsonl(string path, bool labelRequired) => JsonLines(path, (root, lineNumber) =>
    {
        var text = root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : null;
        string? label = null;
        if (root.TryGetProperty("label", out var l) && l.ValueKind != JsonValueKind.Null)
        {
            // 7 and "7" would otherwise be one class to the trainer and two to whoever reads the data.
            if (l.ValueKind != JsonValueKind.String)
                throw new InputException($"{path}:{lineNumber}: label must be a string (was {Shorten(l.GetRawText())})");
            label = l.GetString();
        }
        if (string.IsNullOrWhiteSpace(text))
            throw new InputException($"{path}:{lineNumber}: text missing or empty (expected {{\"text\": ..., \"label\": ...}})");
        if (labelRequired && string.IsNullOrWhiteSpace(label))
            throw new InputException($"{path}:{lineNumber}: label missing (expected {{\"text\": ..., \"label\": ...}})");
        return new LabeledText(text, label ?? "", lineNumber);
    });

    // One JSON value per non-blank line, each read by `row` with its line number.
    private static List<T> JsonLines<T>(string path, Func<JsonElement, int, T> row)
    {
        var rows = new List<T>();
        foreach (var (line, lineNumber) in NumberedLines(path))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new InputException($"{path}:{lineNumber}: not a JSON object ({e.Message.Split('.')[0]})", e);
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InputException($"{path}:{lineNumber}: not a JSON object (was {Shorten(doc.RootElement.GetRawText())})");
                JsonInput.CheckStrings($"{path}:{lineNumber}", doc.RootElement);
                rows.Add(row(doc.RootElement, lineNumber));
            }
        }
        return rows;
    }

    private static List<LabeledText> ReadCsv(string path, bool labelRequired)
    {
        var records = CsvRecords(string.Join('\n', ReadLines(path))).Where(r => !(r.Cells.Count == 1 && r.Cells[0].Trim().Length == 0)).ToList();
        if (records.Count == 0)
            return [];
        var header = records[0].Cells.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var textColumn = header.IndexOf("text");
        var labelColumn = header.IndexOf("label") is >= 0 and var i ? i : header.IndexOf("category");
        if (textColumn < 0 || (labelRequired && labelColumn < 0))
            throw new InputException($"{path}:1: header must name the columns text and label (was {string.Join(",", records[0].Cells)})");
        var rows = new List<LabeledText>();
        foreach (var (line, cells) in records.Skip(1))
        {
            if (cells.Count != header.Count)
                throw new InputException($"{path}:{line}: expected {header.Count} columns, found {cells.Count}");
            var text = cells[textColumn].Trim();
            if (text.Length == 0)
                throw new InputException($"{path}:{line}: text is empty");
            rows.Add(new LabeledText(text, labelColumn >= 0 ? cells[labelColumn].Trim() : "", line));
        }
        return rows;
    }

    /// <summary>RFC 4180 records with the line each starts on: quoted cells may hold commas, doubled quotes and line breaks.</summary>
    private static IEnumerable<(int Line, List<string> Cells)> CsvRecords(string content)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var (quoted, line, start) = (false, 1, 1);
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '\n')
                line++;
            if (quoted)
            {
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    cell.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                cells.Add(cell.ToString().TrimEnd('\r'));
                yield return (start, cells);
                (cells, start) = ([], line);
                cell.Clear();
            }
            else
                cell.Append(c);
        }
        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString().TrimEnd('\r'));
            yield return (start, cells);
        }
    }

    // The non-blank lines of a file with their 1-based numbers.
    private static IEnumerable<(string Line, int Number)> NumberedLines(string path) =>
        ReadLines(path).Select((line, i) => (line, i + 1)).Where(l => !string.IsNullOrWhiteSpace(l.line));

    /// <summary>
    /// Every line of a UTF-8 file (a leading byte-order mark dropped, line ends \n or \r\n). Bytes that are not
    /// UTF-8 are bad input named by line and column, never replaced by U+FFFD and trained on.
    /// </summary>
    private static List<string> ReadLines(string path)
    {
        if (Directory.Exists(path))
            throw new InputException($"{path}: is a folder (expected a data file)");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{path}: not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot be read ({e.Message})", e);
        }
        var lines = new List<string>();
        var start = bytes.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        while (start <= bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
                end = bytes.Length;
            var line = bytes.AsSpan(start, end - start);
            if (line.EndsWith("\r"u8))
                line = line[..^1];
            try
            {
                lines.Add(StrictUtf8.GetString(line));
            }
            catch (DecoderFallbackException e)
            {
                var bad = e.BytesUnknown is { Length: > 0 } unknown ? $"byte 0x{unknown[0]:X2}" : "a byte";
                throw new InputException($"{path}:{lines.Count + 1}: not valid UTF-8 ({bad} at column {e.Index + 1}; save the file as UTF-8)", e);
            }
            if (end == bytes.Length)
                break;
            start = end + 1;
        }
        return lines;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    // A value quoted in a message: long ones cut, so one bad line cannot flood the terminal.
    private static string Shorten(string raw) => raw.Length <= 60 ? raw : raw[..57] + "...";
}

/// <param name="Line">1-based line of the example in its file (for messages).</param>
public sealed record LabeledText(string Text, string Label, int Line);

/// <summary>A supervised fine-tuning example for a causal LM: the loss covers the response only.</summary>
public sealed record PromptResponse(string Prompt, string Response, int Line);

/// <summary>A chat example for a causal LM: the loss covers the assistant turns only.</summary>
public sealed record ChatConversation(IReadOnlyList<ChatMessage> Messages, int Line);

/// <summary>A causal LM's data file: prompt/response pairs or chat conversations (exactly one is not null).</summary>
public sealed record CausalLmFile(IReadOnlyList<PromptResponse>? Pairs, IReadOnlyList<ChatConversation>? Conversations)
{
    /// <summary>The number of examples, in either format.</summary>
    public int Count => Pairs?.Count ?? Conversations!.Count;
}

/// <param name="Score">Gold similarity, 0-5 in STS-B's sense.</param>
public sealed record SentencePair(string Sentence1, string Sentence2, double Score, int Line);
