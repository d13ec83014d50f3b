using PeftOps.Contracts;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PeftOps.Modeling.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> whose model is <c>WordLevel</c> with a <c>Whitespace</c> or
/// <c>WhitespaceSplit</c> pre-tokenizer: words and punctuation runs looked up in the vocabulary, unknown
/// ones as the unk token.
/// </summary>
public sealed partial class WordLevelTokenizer : IDecoderTokenizer
{
    private readonly Dictionary<string, int> vocabulary;
    private readonly Dictionary<int, string> words;
    private readonly int unkId;
    private readonly bool splitPunctuation;

    private WordLevelTokenizer(Dictionary<string, int> vocabulary, int unkId, bool splitPunctuation)
    {
        this.vocabulary = vocabulary;
        words = vocabulary.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);
        this.unkId = unkId;
        this.splitPunctuation = splitPunctuation;
    }

    public int VocabularySize => vocabulary.Count;

    public string Description => $"WordLevel (tokenizer.json, {VocabularySize} tokens)";

    /// <summary>Reads a <c>tokenizer.json</c> whose <c>model.type</c> is <c>WordLevel</c>.</summary>
    public static WordLevelTokenizer FromJson(string path, JsonElement root)
    {
        var model = root.GetProperty("model");
        var vocabulary = TokenizerFields.Vocabulary(path, model);
        var unk = model.TryGetProperty("unk_token", out var u) ? TokenizerFields.Expect(path, u, "model.unk_token", JsonValueKind.String).GetString()! : "";
        if (!vocabulary.TryGetValue(unk, out var unkId))
            throw new InputException($"{path}: model.unk_token '{unk}' is not in model.vocab");
        var preTokenizer = root.TryGetProperty("pre_tokenizer", out var p) && p.ValueKind == JsonValueKind.Object
            ? TokenizerFields.Text(path, p, "pre_tokenizer", "type") : null;
        if (preTokenizer is not ("Whitespace" or "WhitespaceSplit"))
            throw new InputException($"{path}: pre_tokenizer.type '{preTokenizer}' is not supported (expected Whitespace or WhitespaceSplit)");
        return new WordLevelTokenizer(vocabulary, unkId, preTokenizer == "Whitespace");
    }

    /// <summary>Token ids of <paramref name="text"/>, no special tokens added.</summary>
    public int[] Encode(string text)
    {
        // Whitespace: \w+|[^\w\s]+ (HF tokenizers); WhitespaceSplit: runs of non-space.
        var words = splitPunctuation ? WordsAndPunctuation().Matches(text).Select(m => m.Value) : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Select(w => vocabulary.TryGetValue(w, out var id) ? id : unkId).ToArray();
    }

    /// <summary>The words of <paramref name="ids"/> joined by single spaces, as Hugging Face joins tokens when tokenizer.json has no decoder.</summary>
    public string Decode(IReadOnlyList<int> ids) => string.Join(' ', ids.Where(words.ContainsKey).Select(id => words[id]));

    [GeneratedRegex(@"\w+|[^\w\s]+")]
    private static partial Regex WordsAndPunctuation();
}
