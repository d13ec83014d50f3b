namespace PeftOps.Modeling.Tokenization;

/// <summary>A decoder checkpoint's tokenizer: text to token ids, no special tokens added.</summary>
public interface IDecoderTokenizer
{
    int[] Encode(string text);

    /// <summary>What kind of tokenizer and from which file, for <c>model info</c>.</summary>
    string Description { get; }
}
