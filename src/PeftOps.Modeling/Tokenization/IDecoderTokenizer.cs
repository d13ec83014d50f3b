namespace PeftOps.Modeling.Tokenization;

/// <summary>A decoder checkpoint's tokenizer: text to token ids, no special tokens added.</summary>
public interface IDecoderTokenizer
{
    int[] Encode(string text);
}
