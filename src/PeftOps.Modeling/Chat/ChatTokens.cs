using PeftOps.Modeling.Tokenization;

namespace PeftOps.Modeling.Chat;

/// <summary>
/// A rendered conversation as token ids with, per token, whether the loss covers it. The whole text is tokenized once
/// (special tokens such as <c>&lt;|im_start|&gt;</c> are the tokenizer's added tokens; none is added around it, as
/// <c>apply_chat_template(tokenize=True)</c> adds none); a span boundary becomes a token index by tokenizing the text
/// before it, so a token that straddles a boundary is trained on.
/// </summary>
public static class ChatTokens
{
    public static (int[] Ids, bool[] Trained) Encode(IDecoderTokenizer tokenizer, ChatRendering rendering)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(rendering);
        var ids = tokenizer.Encode(rendering.Text);
        var trained = new bool[ids.Length];
        foreach (var (start, end) in rendering.AssistantSpans)
        {
            var first = TokensWithin(tokenizer, ids, rendering.Text[..start], straddling: false);
            var last = TokensWithin(tokenizer, ids, rendering.Text[..end], straddling: true);
            for (var t = first; t < last; t++)
                trained[t] = true;
        }
        return (ids, trained);
    }

    /// <summary>How many leading tokens of <paramref name="ids"/> the text <paramref name="prefix"/> covers; with
    /// <paramref name="straddling"/>, a token that crosses the end of the prefix counts.</summary>
    private static int TokensWithin(IDecoderTokenizer tokenizer, int[] ids, string prefix, bool straddling)
    {
        var prefixIds = tokenizer.Encode(prefix);
        var common = 0;
        while (common < prefixIds.Length && common < ids.Length && prefixIds[common] == ids[common])
            common++;
        var aligned = common == prefixIds.Length;
        return aligned || !straddling ? common : Math.Min(ids.Length, common + 1);
    }
}
