namespace PeftOps.Modeling.Tokenization;

/// <summary>A decoder checkpoint's tokenizer: text to token ids, no special tokens added, and generated ids back to text.</summary>
public interface IDecoderTokenizer
{
    int[] Encode(string text);

    /// <summary>
    /// The text of <paramref name="ids"/> as Hugging Face's <c>decode(ids, skip_special_tokens=True)</c> gives it: special
    /// tokens (bos, eos, pad) leave no text. Bytes that do not yet form a whole UTF-8 character come out as U+FFFD.
    /// </summary>
    string Decode(IReadOnlyList<int> ids);

    /// <summary>What kind of tokenizer and from which file, for <c>model info</c>.</summary>
    string Description { get; }
}
