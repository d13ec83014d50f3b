using Google.Protobuf;
using PeftOps.Contracts;
using PeftOps.Modeling.Tokenization;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Tokenization;

/// <summary>
/// A SentencePiece BPE model written field by field (sentencepiece_model.proto: ModelProto.pieces = 1,
/// trainer_spec = 2, normalizer_spec = 3), so the expected pieces can be worked out by hand: BPE merges
/// the adjacent pair whose merged piece has the highest score, until none is in the vocabulary.
/// </summary>
public sealed class SentencePieceDecoderTokenizerTests
{
    // id: piece (score); 0-2 are <unk> (UNKNOWN), <s> and </s> (CONTROL)
    private static readonly (string Piece, float Score)[] Pieces =
        [("▁ab", -1), ("▁a", -2), ("ab", -3), ("▁b", -4), ("▁", -5), ("a", -6), ("b", -7), ("c", -8)];

    [Fact]
    public void Text_is_split_into_the_pieces_bpe_merges_by_score()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("tokenizer.model");
        File.WriteAllBytes(path, Model());
        var tokenizer = SentencePieceDecoderTokenizer.FromFile(path);

        // "ab b" -> ▁ a b ▁ b -> (▁a, -2) -> (▁ab, -1) -> (▁b, -4) -> ▁ab ▁b
        Assert.Equal([3, 6], tokenizer.Encode("ab b"));
        // "ba c" -> ▁ b a ▁ c -> (▁b, -4) -> ▁b a ▁ c: no pair left in the vocabulary
        Assert.Equal([6, 8, 7, 10], tokenizer.Encode("ba c"));
        Assert.Equal("SentencePiece (tokenizer.model, 11 pieces)", tokenizer.Description);
    }

    [Theory]
    // Hugging Face's Llama decoder: ▁ becomes a space, control tokens (<s>, </s>) leave nothing, and one leading space
    // (the dummy prefix) is stripped from the whole text, not from each piece.
    [InlineData(new[] { 3, 6 }, "ab b")]
    [InlineData(new[] { 1, 3, 6, 2 }, "ab b")]
    [InlineData(new[] { 6, 8, 7, 10 }, "ba c")]
    [InlineData(new[] { 8, 6 }, "a b")]
    [InlineData(new[] { 7, 7, 3 }, "  ab")]
    public void Ids_decode_to_text_as_the_llama_decoder_of_Hugging_Face_gives_it(int[] ids, string text)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("tokenizer.model");
        File.WriteAllBytes(path, Model());

        Assert.Equal(text, SentencePieceDecoderTokenizer.FromFile(path).Decode(ids));
    }

    [Fact]
    public void A_file_that_is_not_a_sentencepiece_model_is_named()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("tokenizer.model");
        File.WriteAllBytes(path, [0xff, 0xff, 0xff, 0x0f]);

        var error = Assert.Throws<Contracts.InputException>(() => SentencePieceDecoderTokenizer.FromFile(path));

        Assert.StartsWith($"{path}: not a SentencePiece model PeftOps can read", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Model()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        void Piece(string piece, float score, int type)
        {
            var bytes = Message(o => { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(piece); o.WriteTag(2, WireFormat.WireType.Fixed32); o.WriteFloat(score); o.WriteTag(3, WireFormat.WireType.Varint); o.WriteInt32(type); });
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(bytes));
        }
        Piece("<unk>", 0, 2);
        Piece("<s>", 0, 3);
        Piece("</s>", 0, 3);
        foreach (var (piece, score) in Pieces)
            Piece(piece, score, 1);
        // trainer_spec: model_type BPE (3 = 2), vocab_size (4), unk_id (40) 0, bos_id (41) 1, eos_id (42) 2, pad_id (43) -1
        var trainer = Message(o =>
        {
            o.WriteTag(3, WireFormat.WireType.Varint); o.WriteInt32(2);
            o.WriteTag(4, WireFormat.WireType.Varint); o.WriteInt32(3 + Pieces.Length);
            o.WriteTag(40, WireFormat.WireType.Varint); o.WriteInt32(0);
            o.WriteTag(41, WireFormat.WireType.Varint); o.WriteInt32(1);
            o.WriteTag(42, WireFormat.WireType.Varint); o.WriteInt32(2);
            o.WriteTag(43, WireFormat.WireType.Varint); o.WriteInt32(-1);
        });
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(trainer));
        // normalizer_spec: name (1) identity, add_dummy_prefix (3), remove_extra_whitespaces (4), escape_whitespaces (5)
        var normalizer = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString("identity");
            o.WriteTag(3, WireFormat.WireType.Varint); o.WriteBool(true);
            o.WriteTag(4, WireFormat.WireType.Varint); o.WriteBool(true);
            o.WriteTag(5, WireFormat.WireType.Varint); o.WriteBool(true);
        });
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(normalizer));
        output.Flush();
        return buffer.ToArray();
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }
}
