namespace PeftOps.Modeling.Chat;

/// <summary>One turn of a conversation, in OpenAI's and TRL's shape: role is system, user or assistant.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// A checkpoint's chat template (<c>chat_template</c> in <c>tokenizer_config.json</c>, Jinja), rendered as transformers'
/// <c>apply_chat_template</c> renders it, character for character.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>The template of a checkpoint folder, or null when its tokenizer_config.json has none.</summary>
    public static ChatTemplate? FromCheckpoint(string folder) => throw new NotImplementedException("issue 22: chat templates");

    /// <summary>The conversation as text; with <paramref name="addGenerationPrompt"/>, followed by the assistant's turn opening.</summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => throw new NotImplementedException("issue 22: chat templates");
}
