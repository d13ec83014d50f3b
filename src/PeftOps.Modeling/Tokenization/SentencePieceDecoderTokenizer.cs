using Microsoft.ML.Tokenizers;
using PeftOps.Contracts;

namespace PeftOps.Modeling.Tokenization;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c> (Llama 2, TinyLlama, Mistral), read with Microsoft.ML.Tokenizers'
/// SentencePieceTokenizer; bos and eos are added by the caller from config.json.
/// </summary>
public sealed class SentencePieceDecoderTokenizer : IDecoderTokenizer
{
    private readonly SentencePieceTokenizer tokenizer;

    private SentencePieceDecoderTokenizer(SentencePieceTokenizer tokenizer) => this.tokenizer = tokenizer;

    public static SentencePieceDecoderTokenizer FromFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return new SentencePieceDecoderTokenizer(SentencePieceTokenizer.Create(stream, false, false));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new InputException($"{path}: not a SentencePiece model PeftOps can read ({e.Message})", e);
        }
    }

    public string Description => $"SentencePiece (tokenizer.model, {tokenizer.Vocabulary.Count} pieces)";

    public int[] Encode(string text) => [.. tokenizer.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true)];

    /// <summary>
    /// Pieces back to text with Microsoft.ML.Tokenizers' decoder (▁ to space, byte pieces to UTF-8, control tokens
    /// dropped), which removes the one space the dummy prefix put before the first piece, as Hugging Face's Llama
    /// decoder (<c>Strip(" ", 1, 0)</c>) does.
    /// </summary>
    public string Decode(IReadOnlyList<int> ids) => tokenizer.Decode(ids, considerSpecialTokens: false);
}
