using PeftOps.Contracts;
using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PeftOps.Modeling.Tokenization.Unicode;

namespace PeftOps.Modeling.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> whose model is byte-level <c>BPE</c>: the tokenizer of GPT-2,
/// RoBERTa, Llama 3, Qwen2 and most decoders since. Added tokens are cut out of the text first; each
/// remaining segment is normalized (none, NFC or NFD), split by the pre-tokenizer
/// (<c>ByteLevel</c>, regex <c>Split</c> with <c>Isolated</c> behaviour, or a <c>Sequence</c> of them),
/// mapped byte by byte to GPT-2's printable alphabet and merged by rank, lowest first and leftmost
/// among equals, as the Rust library does. Anything else in the file is refused by its JSON path.
/// </summary>
/// <remarks>
/// Split patterns run on .NET's regex engine, which sees UTF-16 code units where Hugging Face's sees
/// code points: a letter outside the Basic Multilingual Plane (𝔘, 𐐀) counts as punctuation, so a word
/// mixing such letters with ordinary ones ("a𝔘") is cut in two where Hugging Face keeps it whole.
/// </remarks>
public sealed class ByteLevelBpeTokenizer : IDecoderTokenizer
{
    // GPT-2's pre-tokenizer pattern, used by ByteLevel when use_regex is true
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private const int WordCacheLimit = 100_000;

    /// <summary>GPT-2's byte-to-symbol table, by byte.</summary>
    internal static readonly string[] ByteChars = BuildByteChars();

    private static readonly Dictionary<char, byte> SymbolBytes = Enumerable.Range(0, 256).ToDictionary(b => ByteChars[b][0], b => (byte)b);

    private readonly Dictionary<string, int> vocabulary;
    private readonly Dictionary<(string Left, string Right), int> mergeRanks;
    private readonly bool ignoreMerges;
    private readonly Func<string, string>? normalize;
    private readonly IReadOnlyList<Func<string, IEnumerable<string>>> preTokenizers;
    private readonly (string Content, int Id)[] addedTokens; // longest first
    private readonly Dictionary<int, string> tokensById;
    private readonly HashSet<int> specialIds;
    private readonly SearchValues<char> addedFirstChars;
    private readonly ConcurrentDictionary<string, int[]> wordCache = new(StringComparer.Ordinal);
    private readonly string path;

    private ByteLevelBpeTokenizer(
        string path,
        Dictionary<string, int> vocabulary,
        Dictionary<(string, string), int> mergeRanks,
        bool ignoreMerges,
        Func<string, string>? normalize,
        IReadOnlyList<Func<string, IEnumerable<string>>> preTokenizers,
        (string Content, int Id, bool Special)[] added)
    {
        var addedTokens = added.Select(t => (t.Content, t.Id)).ToArray();
        tokensById = vocabulary.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);
        foreach (var (content, id, _) in added)
            tokensById[id] = content;
        specialIds = [.. added.Where(t => t.Special).Select(t => t.Id)];
        this.path = path;
        this.vocabulary = vocabulary;
        this.mergeRanks = mergeRanks;
        this.ignoreMerges = ignoreMerges;
        this.normalize = normalize;
        this.preTokenizers = preTokenizers;
        this.addedTokens = [.. addedTokens.OrderByDescending(t => t.Item1.Length)];
        addedFirstChars = SearchValues.Create([.. addedTokens.Select(t => t.Item1[0]).Distinct()]);
    }

    public int VocabularySize => vocabulary.Count;

    public string Description => $"byte-level BPE (tokenizer.json, {VocabularySize} tokens, {mergeRanks.Count} merges, {addedTokens.Length} added)";

    /// <summary>Reads a <c>tokenizer.json</c> whose <c>model.type</c> is <c>BPE</c>.</summary>
    public static ByteLevelBpeTokenizer FromJson(string path, JsonElement root)
    {
        var model = root.GetProperty("model");
        foreach (var unsupported in new[] { "continuing_subword_prefix", "end_of_word_suffix", "dropout" })
        {
            if (model.TryGetProperty(unsupported, out var value) && value.ValueKind != JsonValueKind.Null)
                throw Refused(path, $"model.{unsupported}", value, "null for a byte-level BPE model");
        }
        if (model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True)
            throw Refused(path, "model.byte_fallback", fallback, "false: byte_fallback BPE is SentencePiece's; give the checkpoint's tokenizer.model");

        var vocabulary = TokenizerFields.Vocabulary(path, model);
        var mergeRanks = ReadMerges(path, TokenizerFields.Get(path, model, "model", "merges", JsonValueKind.Array), vocabulary);
        var ignoreMerges = model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True;

        var preTokenizers = new List<Func<string, IEnumerable<string>>>();
        var byteLevel = false;
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object)
            AddPreTokenizer(path, "pre_tokenizer", pre, preTokenizers, ref byteLevel);
        if (!byteLevel)
            throw new InputException($"{path}: pre_tokenizer has no ByteLevel step, so this BPE model is not byte-level; PeftOps reads byte-level BPE tokenizer.json files and SentencePiece tokenizer.model files");

        return new ByteLevelBpeTokenizer(path, vocabulary, mergeRanks, ignoreMerges, ReadNormalizer(path, root), preTokenizers, ReadAddedTokens(path, root));
    }

    /// <summary>Token ids of <paramref name="text"/>, no special tokens added.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (var (segment, addedId) in SplitOnAddedTokens(text))
        {
            if (addedId is { } id)
            {
                ids.Add(id);
                continue;
            }
            var normalized = normalize is null ? segment : normalize(segment);
            IEnumerable<string> pieces = [normalized];
            foreach (var preTokenize in preTokenizers)
                pieces = pieces.SelectMany(preTokenize).ToList();
            if (wordCache.Count > WordCacheLimit)
                wordCache.Clear();
            foreach (var piece in pieces)
                ids.AddRange(wordCache.GetOrAdd(piece, MergeWord));
        }
        return [.. ids];
    }

    /// <summary>
    /// Token ids back to text as Hugging Face's <c>ByteLevel</c> decoder does it: special added tokens are skipped, each
    /// token's GPT-2 symbols become the bytes they stand for (a token with a symbol outside that alphabet, such as an
    /// added token with a space, gives its own UTF-8 bytes), and the bytes are read as UTF-8.
    /// </summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (specialIds.Contains(id) || !tokensById.TryGetValue(id, out var token))
                continue;
            if (token.All(SymbolBytes.ContainsKey))
                bytes.AddRange(token.Select(c => SymbolBytes[c]));
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    // Added tokens are matched in the raw text, leftmost first and longest at one position. Only the
    // places holding a first character of some added token are tried (Llama 3 has 256 added tokens).
    private IEnumerable<(string Segment, int? Id)> SplitOnAddedTokens(string text)
    {
        var start = 0;
        var from = 0;
        while (from < text.Length)
        {
            var offset = text.AsSpan(from).IndexOfAny(addedFirstChars);
            if (offset < 0)
                break;
            var at = from + offset;
            var match = addedTokens.FirstOrDefault(t => text.AsSpan(at).StartsWith(t.Content, StringComparison.Ordinal));
            if (match.Content is null)
            {
                from = at + 1;
                continue;
            }
            if (at > start)
                yield return (text[start..at], null);
            yield return (match.Content, match.Id);
            start = from = at + match.Content.Length;
        }
        if (start < text.Length)
            yield return (text[start..], null);
    }

    private int[] MergeWord(string word)
    {
        if (ignoreMerges && vocabulary.TryGetValue(word, out var whole))
            return [whole];
        var symbols = word.Select(c => c.ToString()).ToList();
        while (symbols.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0)
                break;
            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
        }
        return symbols.Select(s => vocabulary.TryGetValue(s, out var id)
            ? id
            : throw new InputException($"{path}: model.vocab has no entry for the byte symbol '{s}', which a byte-level vocabulary must hold")).ToArray();
    }

    private static Dictionary<(string, string), int> ReadMerges(string path, JsonElement merges, Dictionary<string, int> vocabulary)
    {
        var ranks = new Dictionary<(string, string), int>();
        var rank = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            // "a b" (tokenizers before 0.20) or ["a", "b"]
            (string, string)? pair = merge.ValueKind switch
            {
                JsonValueKind.String when merge.GetString()!.Split(' ') is [var a, var b] => (a, b),
                JsonValueKind.Array when merge.GetArrayLength() == 2 && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String
                    => (merge[0].GetString()!, merge[1].GetString()!),
                _ => null,
            };
            if (pair is not { } p)
                throw Refused(path, $"model.merges[{rank}]", merge, "a pair: \"left right\" or [\"left\", \"right\"]");
            if (!vocabulary.ContainsKey(p.Item1 + p.Item2))
                throw Refused(path, $"model.merges[{rank}]", merge, "a merge whose result is in model.vocab");
            ranks.TryAdd(p, rank++);
        }
        return ranks;
    }

    private static Func<string, string>? ReadNormalizer(string path, JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
            return null;
        return TokenizerFields.Text(path, normalizer, "normalizer", "type") switch
        {
            "NFC" => CanonicalNormalizer.Nfc,
            "NFD" => CanonicalNormalizer.Nfd,
            _ => throw Refused(path, "normalizer.type", normalizer.GetProperty("type"), "null, NFC or NFD"),
        };
    }

    private static void AddPreTokenizer(string path, string where, JsonElement step, List<Func<string, IEnumerable<string>>> steps, ref bool byteLevel)
    {
        var type = TokenizerFields.Get(path, step, where, "type", JsonValueKind.String);
        switch (type.GetString())
        {
            case "Sequence":
                var i = 0;
                foreach (var inner in TokenizerFields.Get(path, step, where, "pretokenizers", JsonValueKind.Array).EnumerateArray())
                    AddPreTokenizer(path, $"{where}.pretokenizers[{i++}]", inner, steps, ref byteLevel);
                break;
            case "Split":
                steps.Add(ReadSplit(path, where, step));
                break;
            case "ByteLevel":
                var addPrefixSpace = step.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True;
                var useRegex = !step.TryGetProperty("use_regex", out var regex) || regex.ValueKind != JsonValueKind.False;
                var gpt2 = useRegex ? new Regex(Gpt2Pattern, RegexOptions.CultureInvariant) : null;
                steps.Add(piece =>
                {
                    if (addPrefixSpace && !piece.StartsWith(' '))
                        piece = " " + piece;
                    var words = gpt2 is null ? [piece] : Isolate(gpt2, piece);
                    return words.Select(ToByteLevel);
                });
                byteLevel = true;
                break;
            case "Metaspace":
                throw Refused(path, $"{where}.type", type, "ByteLevel, Split or a Sequence of them (Metaspace is SentencePiece's scheme: give the checkpoint's tokenizer.model)");
            default:
                throw Refused(path, $"{where}.type", type, "ByteLevel, Split or a Sequence of them");
        }
    }

    private static Func<string, IEnumerable<string>> ReadSplit(string path, string where, JsonElement step)
    {
        var behavior = TokenizerFields.Get(path, step, where, "behavior", JsonValueKind.String);
        if (behavior.GetString() != "Isolated")
            throw Refused(path, $"{where}.behavior", behavior, "Isolated");
        if (step.TryGetProperty("invert", out var invert) && invert.ValueKind == JsonValueKind.True)
            throw Refused(path, $"{where}.invert", invert, "false");
        var pattern = TokenizerFields.Get(path, step, where, "pattern", JsonValueKind.Object);
        Regex regex;
        if (pattern.TryGetProperty("Regex", out var source))
        {
            TokenizerFields.Expect(path, source, $"{where}.pattern.Regex", JsonValueKind.String);
            try
            {
                regex = new Regex(source.GetString()!, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw Refused(path, $"{where}.pattern.Regex", source, $"a regular expression .NET can run ({e.Message})");
            }
        }
        else
        {
            regex = new Regex(Regex.Escape(TokenizerFields.Text(path, pattern, $"{where}.pattern", "String")), RegexOptions.CultureInvariant);
        }
        return piece => Isolate(regex, piece);
    }

    // Isolated: every match is a piece, and so is every stretch of text between matches.
    private static List<string> Isolate(Regex regex, string text)
    {
        var pieces = new List<string>();
        var last = 0;
        foreach (Match match in regex.Matches(text))
        {
            if (match.Length == 0)
                continue;
            if (match.Index > last)
                pieces.Add(text[last..match.Index]);
            pieces.Add(match.Value);
            last = match.Index + match.Length;
        }
        if (last < text.Length)
            pieces.Add(text[last..]);
        return pieces;
    }

    private static (string, int, bool)[] ReadAddedTokens(string path, JsonElement root)
    {
        if (!root.TryGetProperty("added_tokens", out var added) || added.ValueKind != JsonValueKind.Array)
            return [];
        var tokens = new List<(string, int, bool)>();
        var i = 0;
        foreach (var token in added.EnumerateArray())
        {
            TokenizerFields.Expect(path, token, $"added_tokens[{i}]", JsonValueKind.Object);
            foreach (var flag in new[] { "single_word", "lstrip", "rstrip" })
            {
                if (token.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.True)
                    throw Refused(path, $"added_tokens[{i}].{flag}", value, "false");
            }
            var content = TokenizerFields.Get(path, token, $"added_tokens[{i}]", "content", JsonValueKind.String);
            if (string.IsNullOrEmpty(content.GetString()))
                throw Refused(path, $"added_tokens[{i}].content", content, "a non-empty string");
            var special = token.TryGetProperty("special", out var specialFlag) && specialFlag.ValueKind == JsonValueKind.True;
            tokens.Add((content.GetString()!, TokenizerFields.Int32(path, TokenizerFields.Get(path, token, $"added_tokens[{i}]", "id", JsonValueKind.Number), $"added_tokens[{i}].id"), special));
            i++;
        }
        return [.. tokens];
    }

    private static string ToByteLevel(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
            builder.Append(ByteChars[b]);
        return builder.ToString();
    }

    // GPT-2's reversible map from the 256 byte values to printable characters: printable Latin-1 maps to
    // itself, the rest to U+0100 onwards in byte order.
    private static string[] BuildByteChars()
    {
        static bool Printable(int b) => b is (>= '!' and <= '~') or (>= '¡' and <= '¬') or (>= '®' and <= 'ÿ');
        var chars = new string[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
            chars[b] = ((char)(Printable(b) ? b : next++)).ToString();
        return chars;
    }

    private static InputException Refused(string path, string key, JsonElement found, string expected) =>
        new($"{path}: {key} is {found.GetRawText()}; expected {expected}");
}
