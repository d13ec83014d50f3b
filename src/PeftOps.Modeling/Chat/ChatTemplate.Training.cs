using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;

namespace PeftOps.Modeling.Chat;

public sealed partial class ChatTemplate
{
    /// <summary>The chat template of a loaded model's checkpoint folder, or null when it has none.</summary>
    public static ChatTemplate? ForModel(TransformerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return FromCheckpoint(model.Source.Folder);
    }

    /// <summary>
    /// The prompt a model answers: the messages up to and including the last user turn (a trailing assistant turn, such
    /// as a reference answer, is left out), rendered with the generation prompt, as transformers'
    /// <c>apply_chat_template(messages, add_generation_prompt=True)</c> would render them for <c>generate</c>.
    /// </summary>
    /// <exception cref="InputException">No user turn, or the template refuses the conversation.</exception>
    public string RenderPrompt(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var lastUser = messages.Select((m, i) => (m, i)).LastOrDefault(p => p.m.Role == "user", (null!, -1)).Item2;
        if (lastUser < 0)
            throw new InputException($"{Source}: a prompt needs a user turn (the conversation has none)");
        return Render(messages.Take(lastUser + 1).ToList(), addGenerationPrompt: true);
    }

    /// <summary>
    /// The conversation rendered for training, with the spans the loss covers. A template with <c>{% generation %}</c>
    /// blocks marks them itself (transformers' <c>return_assistant_tokens_mask</c>). Otherwise each assistant turn
    /// starts where the conversation before it, rendered with the generation prompt, ends, and ends where the
    /// conversation up to and including it ends; whitespace after the end-of-turn text (the newline between turns) is
    /// left out, since generation stops at the end-of-turn token. Both renderings must be prefixes of the whole.
    /// </summary>
    /// <exception cref="InputException">The template refuses the conversation, or renders a prefix of it differently (message index named).</exception>
    public ChatRendering RenderForTraining(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (text, generation) = RenderWithSpans(messages, addGenerationPrompt: false, variables: null);
        if (generation.Count > 0)
            return new ChatRendering(text, generation);
        var spans = new List<(int, int)>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role != "assistant")
                continue;
            var before = i == 0 ? "" : Render(messages.Take(i).ToList(), addGenerationPrompt: true);
            var through = Render(messages.Take(i + 1).ToList(), addGenerationPrompt: false);
            if (!text.StartsWith(before, StringComparison.Ordinal) || !text.StartsWith(through, StringComparison.Ordinal) || through.Length < before.Length)
                throw new InputException($"messages[{i}]: the chat template ({Source}) renders the conversation up to this assistant turn differently from the start of the whole conversation, so the turn cannot be located for the loss");
            var end = through.Length;
            while (end > before.Length && char.IsWhiteSpace(through[end - 1]))
                end--;
            spans.Add((before.Length, end));
        }
        return new ChatRendering(text, spans);
    }
}
