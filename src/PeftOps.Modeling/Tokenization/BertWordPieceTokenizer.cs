using PeftOps.Contracts;
using System.Globalization;
using System.Text;
using PeftOps.Modeling.Tokenization.Unicode;

namespace PeftOps.Modeling.Tokenization;

/// <summary>
/// The BERT uncased WordPiece tokenizer as Hugging Face runs it for all-MiniLM-L6-v2 and bert-base-uncased:
/// the behaviour of its <c>tokenizer.json</c> in HF's Rust tokenizers (transformers' fast tokenizer):
/// special tokens in the text kept whole; clean text (drop NUL, U+FFFD and control characters, whitespace to spaces);
/// CJK ideographs as words of their own; strip accents (NFD, drop Mn), then lower-case; split on whitespace and
/// punctuation; greedy longest-match WordPiece with <c>##</c> continuations, <c>[UNK]</c> for a word that has no
/// split or is longer than 100 characters.
/// </summary>
public sealed class BertWordPieceTokenizer
{
    /// <summary>Words longer than this (in code points) become <c>[UNK]</c>, as in HF's <c>max_input_chars_per_word</c>.</summary>
    public const int MaxInputCharsPerWord = 100;

    private const string ContinuationPrefix = "##";
    private static readonly string[] SpecialTokenNames = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly Dictionary<string, int> _ids;
    private readonly string[] _specialTokens;

    /// <summary>Builds the tokenizer from the vocabulary in id order (line i of <c>vocab.txt</c> is id i).</summary>
    public BertWordPieceTokenizer(IReadOnlyList<string> vocabulary, bool lowerCase = true)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
        LowerCase = lowerCase;
        _ids = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Count; i++)
            _ids[vocabulary[i]] = i; // a repeated line maps to its last id, as HF's load_vocab does

        PadId = RequireId("[PAD]");
        UnkId = RequireId("[UNK]");
        ClsId = RequireId("[CLS]");
        SepId = RequireId("[SEP]");
        _specialTokens = [.. SpecialTokenNames.Where(_ids.ContainsKey)];
    }

    /// <summary>Reads <c>vocab.txt</c> (one token per line, UTF-8) from a stream.</summary>
    public static BertWordPieceTokenizer FromVocabStream(Stream vocab, bool lowerCase = true, string source = "vocab.txt")
    {
        ArgumentNullException.ThrowIfNull(vocab);
        using var reader = new StreamReader(vocab, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var tokens = new List<string>();
        while (reader.ReadLine() is { } line)
            tokens.Add(line);
        try
        {
            return new BertWordPieceTokenizer(tokens, lowerCase);
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Reads a <c>vocab.txt</c> file.</summary>
    public static BertWordPieceTokenizer FromVocabFile(string path, bool lowerCase = true)
    {
        if (!File.Exists(path))
            throw new InputException($"{path}: vocabulary file not found");
        using var stream = File.OpenRead(path);
        return FromVocabStream(stream, lowerCase, path);
    }

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    public bool LowerCase { get; }
    public int PadId { get; }
    public int UnkId { get; }
    public int ClsId { get; }
    public int SepId { get; }

    /// <summary>The id of <paramref name="token"/>, or null.</summary>
    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    /// <summary>The WordPiece tokens of <paramref name="text"/>, without <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var pieces = new List<string>();
        foreach (var id in TokenIds(text))
            pieces.Add(Vocabulary[id]);
        return pieces;
    }

    /// <summary>
    /// <c>[CLS] pieces [SEP]</c>, truncated to at most <paramref name="maxLength"/> ids by dropping pieces at the end
    /// (<c>[SEP]</c> is kept), as HF's <c>truncation=True, max_length=maxLength</c> does.
    /// </summary>
    public BertEncoding Encode(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = TokenIds(text);
        var kept = Math.Min(ids.Count, maxLength - 2);
        var inputIds = new int[kept + 2];
        inputIds[0] = ClsId;
        ids.CopyTo(0, inputIds, 1, kept);
        inputIds[^1] = SepId;
        var mask = new int[inputIds.Length];
        Array.Fill(mask, 1);
        return new BertEncoding(inputIds, mask);
    }

    /// <summary>Encodes each text and pads the batch to its longest encoding with <c>[PAD]</c>.</summary>
    public BertBatchEncoding EncodeBatch(IReadOnlyList<string> texts, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var encodings = texts.Select(t => Encode(t, maxLength)).ToList();
        var length = encodings.Count == 0 ? 0 : encodings.Max(e => e.InputIds.Length);
        var ids = new long[encodings.Count * length];
        var mask = new long[encodings.Count * length];
        Array.Fill(ids, PadId);
        for (var b = 0; b < encodings.Count; b++)
        {
            var row = encodings[b].InputIds;
            for (var t = 0; t < row.Length; t++)
            {
                ids[b * length + t] = row[t];
                mask[b * length + t] = 1;
            }
        }
        return new BertBatchEncoding(ids, mask, new long[ids.Length], encodings.Count, length);
    }

    private List<int> TokenIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        var start = 0;
        while (start < text.Length)
        {
            var (at, special) = NextSpecialToken(text, start);
            foreach (var word in BasicTokens(text[start..at]))
                AppendWordPieces(word, ids);
            if (special is null)
                break;
            ids.Add(_ids[special]);
            start = at + special.Length;
        }
        return ids;
    }

    /// <summary>The first special token (<c>[CLS]</c>, <c>[SEP]</c>, ...) at or after <paramref name="start"/>, matched exactly.</summary>
    private (int At, string? Token) NextSpecialToken(string text, int start)
    {
        var best = (At: text.Length, Token: (string?)null);
        foreach (var token in _specialTokens)
        {
            var at = text.IndexOf(token, start, StringComparison.Ordinal);
            if (at >= 0 && (at < best.At || (at == best.At && token.Length > best.Token!.Length)))
                best = (at, token);
        }
        return best;
    }

    /// <summary>Clean, isolate CJK, split on whitespace, strip accents, lower-case, split on punctuation.</summary>
    private IEnumerable<string> BasicTokens(string text)
    {
        var cleaned = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || IsControl(rune))
                continue;
            if (IsWhitespace(rune))
                cleaned.Append(' ');
            else if (IsChineseCharacter(cp))
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            else
                cleaned.Append(rune.ToString());
        }

        foreach (var word in cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var normalized = LowerCase ? LowerCaseWord(StripAccents(word)) : word;
            var current = new StringBuilder();
            foreach (var rune in normalized.EnumerateRunes())
            {
                if (IsPunctuation(rune))
                {
                    if (current.Length > 0)
                        yield return current.ToString();
                    current.Clear();
                    yield return rune.ToString();
                }
                else
                {
                    current.Append(rune.ToString());
                }
            }
            if (current.Length > 0)
                yield return current.ToString();
        }
    }

    /// <summary>Greedy longest-match-first WordPiece; the whole word is <c>[UNK]</c> if any part has no match.</summary>
    private void AppendWordPieces(string word, List<int> ids)
    {
        var boundaries = new List<int>(word.Length + 1);
        for (var i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1)
            boundaries.Add(i);
        boundaries.Add(word.Length);
        if (boundaries.Count - 1 > MaxInputCharsPerWord)
        {
            ids.Add(UnkId);
            return;
        }

        var pieces = new List<int>();
        var startIndex = 0;
        while (startIndex < boundaries.Count - 1)
        {
            var found = -1;
            var endIndex = boundaries.Count - 1;
            for (; endIndex > startIndex; endIndex--)
            {
                var piece = word[boundaries[startIndex]..boundaries[endIndex]];
                if (startIndex > 0)
                    piece = ContinuationPrefix + piece;
                if (_ids.TryGetValue(piece, out var id))
                {
                    found = id;
                    break;
                }
            }
            if (found < 0)
            {
                ids.Add(UnkId);
                return;
            }
            pieces.Add(found);
            startIndex = endIndex;
        }
        ids.AddRange(pieces);
    }

    // unicodedata.normalize("NFD", word) without the nonspacing marks, as HF's strip_accents does
    private static string StripAccents(string word)
    {
        var output = new StringBuilder(word.Length);
        foreach (var rune in CanonicalNormalizer.Nfd(word).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
                output.Append(rune.ToString());
        }
        return output.ToString();
    }

    /// <summary>
    /// Per-character lower-casing, as the Rust normalizer does (<c>char::to_lowercase</c>: no final-sigma rule).
    /// Its one multi-character mapping, U+0130, never arrives here: accent stripping has already made it "I".
    /// </summary>
    private static string LowerCaseWord(string word)
    {
        var output = new StringBuilder(word.Length);
        foreach (var rune in word.EnumerateRunes())
            output.Append(Rune.ToLowerInvariant(rune).ToString());
        return output.ToString();
    }

    /// <summary>HF <c>_is_control</c>: every category C*, except tab, newline and carriage return.</summary>
    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
            return false;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>HF <c>_is_whitespace</c> (space, tab, newline, CR, Zs) and the line/paragraph separators <c>str.split</c> splits on.</summary>
    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r'
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>HF <c>_is_punctuation</c>: ASCII symbols 33-47, 58-64, 91-96, 123-126, and every category P*.</summary>
    private static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
            return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>HF <c>_is_chinese_char</c>: the CJK Unified Ideographs blocks and their compatibility blocks.</summary>
    private static bool IsChineseCharacter(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F
            or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x2F800 and <= 0x2FA1F;

    private int RequireId(string token) =>
        _ids.TryGetValue(token, out var id) ? id : throw new ArgumentException($"the vocabulary has no {token} token");
}

/// <summary>One encoded text: <c>[CLS] pieces... [SEP]</c> and a mask of ones, both of length T.</summary>
public sealed record BertEncoding(int[] InputIds, int[] AttentionMask);

/// <summary>
/// A padded batch, row-major <c>[BatchSize, SequenceLength]</c> with <c>SequenceLength</c> = the longest encoding
/// (dynamic padding): <c>InputIds</c> padded with <c>[PAD]</c>, <c>AttentionMask</c> 1 on tokens and 0 on padding,
/// <c>TokenTypeIds</c> all 0 (single segment). Ready for <c>torch.tensor(InputIds, [BatchSize, SequenceLength])</c>.
/// </summary>
public sealed record BertBatchEncoding(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, int BatchSize, int SequenceLength);
