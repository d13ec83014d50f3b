using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;

namespace PeftOps.Modeling.Chat;

/// <summary>
/// A conversation's prompt as the token ids a decoder generates from, the one encoding <c>peftops generate</c>, evaluate's
/// generation suites and the OpenAI server's chat completions share: the messages rendered with the checkpoint's chat
/// template and the assistant's turn opened, tokenized with nothing added, as transformers'
/// <c>apply_chat_template(messages, add_generation_prompt=True, tokenize=True)</c> gives them. A template that writes the
/// bos token's text first (Llama 2, Mistral) gets the bos id from config.json in its place, so the model sees one bos token
/// even where the tokenizer cannot read special tokens out of text (SentencePiece), never the token's text spelt out; a
/// template that writes none (ChatML: Qwen2) gets none, as chat training lays it out.
/// </summary>
public static class ChatPrompt
{
    /// <summary>The prompt's token ids; the messages are passed as given (a trailing assistant turn is rendered too).</summary>
    /// <exception cref="InputException">The model has no tokenizer, or the template refuses the conversation.</exception>
    public static int[] Encode(TransformerModel model, ChatTemplate template, IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(template);
        return EncodeRendered(model, template, template.Render(messages, addGenerationPrompt: true));
    }

    /// <summary>The token ids of a prompt <paramref name="template"/> has already rendered (a caller that also shows the text).</summary>
    /// <exception cref="InputException">The model has no tokenizer.</exception>
    public static int[] EncodeRendered(TransformerModel model, ChatTemplate template, string rendered)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(rendered);
        var tokenizer = model.DecoderTokenizer
            ?? throw new InputException($"{model.Source.Reference}: no tokenizer.json or tokenizer.model, so chat prompts cannot be tokenized (give token ids)");
        return template.SpecialTokens.GetValueOrDefault("bos_token") is string { Length: > 0 } bosText
            && rendered.StartsWith(bosText, StringComparison.Ordinal) && model.Llama?.BosTokenId is { } bos
            ? [bos, .. tokenizer.Encode(rendered[bosText.Length..])]
            : tokenizer.Encode(rendered);
    }
}
