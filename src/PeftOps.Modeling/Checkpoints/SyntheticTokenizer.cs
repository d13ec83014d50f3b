using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PeftOps.Modeling.Tokenization;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>
/// A byte-level BPE <c>tokenizer.json</c> for <see cref="SyntheticCheckpoint"/>: GPT-2's 256 byte symbols, merges
/// learned by plain BPE on a short built-in English text after Qwen2's pre-tokenizer (every digit a piece of its own),
/// and, as Qwen2.5-Instruct has them, three added special
/// tokens: <c>&lt;|endoftext|&gt;</c> (bos and padding), <c>&lt;|im_start|&gt;</c> and <c>&lt;|im_end|&gt;</c> (the
/// ChatML turn markers; im_end is the eos, where a chat turn and generation end). Every id is below 600, so it fits
/// any real vocabulary size.
/// </summary>
internal sealed partial record SyntheticTokenizer(JsonObject Json, int Bos, int Eos)
{
    private const string Corpus =
        "Hello, I ordered a pair of running shoes last week and they have not arrived yet. Where is my order? "
        + "Can I return these boots? They are too small and I would like a larger size or a refund to my card. "
        + "The delivery was late again, and the box was damaged. Please tell me how to change my address. "
        + "How do I reset the password of my account? I paid twice for the same sandals; please cancel one payment. "
        + "Do you ship to Canada, and how long does shipping take? What is the price of the blue trainers in size 42? "
        + "The weather today is sunny with a light wind; tomorrow there will be rain in the north and the east. "
        + "Mix the flour, the sugar and two eggs, then bake the cake for thirty minutes at one hundred and eighty degrees. "
        + "The team won the match in the last minute of the game, and the fans were singing in the streets all night. "
        + "Numbers such as 1, 2, 3, 10, 42, 2024 and 3.14 appear in questions, answers and order references like A-1234.";

    private const int Merges = 300;

    /// <summary>Every id is below this: the byte symbols, the merges and the three special tokens.</summary>
    public int VocabularySize => Json["model"]!["vocab"]!.AsObject().Count;

    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>
    /// The ChatML chat template written into <c>tokenizer_config.json</c>: Qwen2.5-Instruct's without its default system
    /// prompt and tool branches (each turn <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>, then
    /// <c>&lt;|im_start|&gt;assistant\n</c> as the generation prompt).
    /// </summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /// <summary>
    /// Learns byte-level BPE merges on <paramref name="corpus"/> (the built-in English text when null): up to
    /// <paramref name="merges"/> merges, each the most frequent adjacent pair (ties to the ordinally smaller pair), while
    /// that pair occurs at least twice.
    /// </summary>
    public static SyntheticTokenizer Build(string? corpus = null, int merges = Merges)
    {
        var bytes = ByteLevelBpeTokenizer.ByteChars;
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var symbol in bytes)
            vocab[symbol] = vocab.Count;
        // each distinct pre-token once, with how often it occurs
        var words = PreTokens().Matches(corpus ?? Corpus).GroupBy(m => m.Value, StringComparer.Ordinal)
            .Select(g => (Symbols: Encoding.UTF8.GetBytes(g.Key).Select(b => bytes[b]).ToList(), Count: g.Count())).ToList();
        var mergeList = new JsonArray();
        for (var i = 0; i < merges; i++)
        {
            var counts = new Dictionary<(string First, string Second), int>();
            foreach (var (symbols, count) in words)
            {
                for (var j = 0; j < symbols.Count - 1; j++)
                    counts[(symbols[j], symbols[j + 1])] = counts.GetValueOrDefault((symbols[j], symbols[j + 1])) + count;
            }
            if (counts.Count == 0)
                break;
            var best = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.First, StringComparer.Ordinal).ThenBy(c => c.Key.Second, StringComparer.Ordinal).First();
            if (best.Value < 2)
                break;
            var (left, right) = best.Key;
            mergeList.Add($"{left} {right}");
            vocab.TryAdd(left + right, vocab.Count);
            foreach (var (symbols, _) in words)
            {
                for (var j = 0; j < symbols.Count - 1; j++)
                {
                    if (symbols[j] == left && symbols[j + 1] == right)
                    {
                        symbols[j] += right;
                        symbols.RemoveAt(j + 1);
                    }
                }
            }
        }
        var endOfText = vocab.Count;
        var added = new JsonArray();
        foreach (var special in new[] { EndOfText, ImStart, ImEnd })
        {
            added.Add(new JsonObject
            {
                ["id"] = vocab.Count, ["content"] = special, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
            vocab[special] = vocab.Count;
        }
        var vocabJson = new JsonObject();
        foreach (var (token, id) in vocab)
            vocabJson[token] = id;
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = Qwen2Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false, ["vocab"] = vocabJson, ["merges"] = mergeList,
            },
        };
        return new SyntheticTokenizer(json, endOfText, vocab[ImEnd]);
    }

    /// <summary>
    /// Qwen2's pre-tokenizer pattern, from its <c>tokenizer.json</c> (a <c>Split</c> step, then <c>ByteLevel</c> without
    /// its own regex): GPT-2's, except that every digit is a piece of its own, so no merge glues digits and a number is
    /// read and written digit by digit.
    /// </summary>
    internal const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // the pre-tokenizer the written tokenizer.json declares
    [GeneratedRegex(Qwen2Pattern)]
    private static partial Regex PreTokens();
}
