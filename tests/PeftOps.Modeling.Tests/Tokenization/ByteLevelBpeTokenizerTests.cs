using PeftOps.Contracts;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeftOps.Modeling.Tokenization;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Tokenization;

/// <summary>
/// Byte-level BPE tokenizer.json files in the shapes of GPT-2, RoBERTa, Llama 3 and Qwen2 (tests/data/tokenizers),
/// against what Hugging Face's Rust tokenizers library makes of tricky texts with them (made by
/// make_bpe_golden.js beside this file; see its README).
/// </summary>
public sealed class ByteLevelBpeTokenizerTests
{
    private static readonly string[] Styles = ["gpt2", "roberta", "llama3", "qwen2"];

    private static string StylePath(string style, string file) => Path.Combine(TestPaths.ByteLevelBpe(style), file);

    public static TheoryData<string, int> GoldenLines()
    {
        var data = new TheoryData<string, int>();
        foreach (var style in Styles)
        {
            for (var line = 0; line < File.ReadAllLines(StylePath(style, "golden.jsonl")).Length; line++)
                data.Add(style, line);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenLines))]
    public void Matches_Hugging_Face_tokenizers_on_tricky_text(string style, int line)
    {
        using var golden = JsonDocument.Parse(File.ReadAllLines(StylePath(style, "golden.jsonl"))[line]);
        var text = golden.RootElement.GetProperty("text").GetString()!;
        var expected = golden.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var tokenizer = TokenizerJson.Load(StylePath(style, "tokenizer.json"));

        Assert.Equal(expected, tokenizer.Encode(text));
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("roberta")]
    [InlineData("llama3")]
    [InlineData("qwen2")]
    public void Decodes_ids_as_Hugging_Face_tokenizers_does_skipping_special_tokens(string style)
    {
        var tokenizer = TokenizerJson.Load(StylePath(style, "tokenizer.json"));
        var lines = File.ReadAllLines(StylePath(style, "decoded.jsonl"));

        var wrong = new List<string>();
        foreach (var line in lines)
        {
            using var golden = JsonDocument.Parse(line);
            var ids = golden.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var expected = golden.RootElement.GetProperty("text").GetString()!;
            var decoded = tokenizer.Decode(ids);
            if (decoded != expected)
                wrong.Add($"[{string.Join(", ", ids)}]: expected {JsonSerializer.Serialize(expected)}, got {JsonSerializer.Serialize(decoded)}");
        }

        Assert.True(lines.Length > 900, $"{lines.Length} lines");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {lines.Length} differ; first: {wrong.FirstOrDefault()}");
    }

    [Fact]
    public void A_word_the_vocabulary_holds_whole_is_one_token_when_merges_are_ignored()
    {
        var llama3 = TokenizerJson.Load(StylePath("llama3", "tokenizer.json"));
        var gpt2 = TokenizerJson.Load(StylePath("gpt2", "tokenizer.json"));

        // 'Ġsneakers' (476) is in the Llama 3 style vocabulary, but no merges build it
        Assert.Equal([476], llama3.Encode(" sneakers"));
        Assert.True(gpt2.Encode(" sneakers").Length > 1);
    }

    [Theory]
    [InlineData("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}""", "pre_tokenizer.type is \"Metaspace\"; expected ByteLevel, Split or a Sequence of them (Metaspace is SentencePiece's scheme: give the checkpoint's tokenizer.model)")]
    [InlineData("""{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, {"type": "ByteLevel"}]}""", "pre_tokenizer.pretokenizers[0].type is \"Digits\"; expected ByteLevel, Split or a Sequence of them")]
    [InlineData("""{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Removed", "invert": false}, {"type": "ByteLevel"}]}""", "pre_tokenizer.pretokenizers[0].behavior is \"Removed\"; expected Isolated")]
    public void A_pre_tokenizer_it_cannot_follow_is_refused_by_its_path(string preTokenizer, string message)
    {
        using var temp = new TempDirectory();
        var path = Variant(temp, json => json["pre_tokenizer"] = JsonNode.Parse(preTokenizer));

        var error = Assert.Throws<InputException>(() => TokenizerJson.Load(path));

        Assert.StartsWith($"{path}: {message}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_whose_result_is_not_in_the_vocabulary_is_named_by_index()
    {
        using var temp = new TempDirectory();
        var path = Variant(temp, json => json["model"]!["merges"]!.AsArray().Add("x y"));
        var index = JsonNode.Parse(File.ReadAllText(path))!["model"]!["merges"]!.AsArray().Count - 1;

        var error = Assert.Throws<InputException>(() => TokenizerJson.Load(path));

        Assert.Equal($"{path}: model.merges[{index}] is \"x y\"; expected a merge whose result is in model.vocab", error.Message);
    }

    [Theory]
    [InlineData("model.byte_fallback", "true", "false: byte_fallback BPE is SentencePiece's")]
    [InlineData("normalizer", """{"type": "Lowercase"}""", null)]
    [InlineData("model.type", "\"Unigram\"", null)]
    public void Settings_it_does_not_implement_are_refused_not_guessed(string key, string value, string? expected)
    {
        using var temp = new TempDirectory();
        var parts = key.Split('.');
        var path = Variant(temp, json => (parts.Length == 1 ? json : json[parts[0]]!)[parts[^1]] = JsonNode.Parse(value));

        var error = Assert.Throws<InputException>(() => TokenizerJson.Load(path));

        Assert.StartsWith($"{path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(key == "normalizer" ? "normalizer.type" : key, error.Message, StringComparison.Ordinal);
        if (expected is not null)
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static string Variant(TempDirectory temp, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(StylePath("gpt2", "tokenizer.json")))!.AsObject();
        change(json);
        var path = temp.Combine("tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }
}
