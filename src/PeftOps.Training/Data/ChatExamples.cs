using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Tokenization;

namespace PeftOps.Training.Data;

/// <summary>
/// Chat conversations as training rows: each rendered with the base checkpoint's chat template
/// (<see cref="ChatTemplate.RenderForTraining"/>), tokenized with its tokenizer, labels on the assistant turns only
/// (<see cref="ChatTokens"/>), -100 elsewhere. All of a file is checked before training starts; a conversation the
/// template refuses, one with no assistant token, or one longer than task.max_length is refused with file and line
/// (a conversation is never cut: a cut turn would teach the model to stop mid-answer without its end-of-turn token).
/// </summary>
internal static class ChatExamples
{
    public static IReadOnlyList<CausalLmRow> Encode(string path, IReadOnlyList<ChatConversation> conversations, ChatTemplate template, IDecoderTokenizer tokenizer, int maxLength)
    {
        var rows = new List<CausalLmRow>(conversations.Count);
        foreach (var conversation in conversations)
        {
            ChatRendering rendering;
            try
            {
                rendering = template.RenderForTraining(conversation.Messages);
            }
            catch (InputException e)
            {
                throw new InputException($"{path}:{conversation.Line}: messages: {e.Message}", e);
            }
            var (ids, trained) = ChatTokens.Encode(tokenizer, rendering);
            if (ids.Length > maxLength)
                throw new InputException($"{path}:{conversation.Line}: messages: the conversation is {ids.Length} tokens with the chat template, more than task.max_length {maxLength} (shorten it or raise task.max_length)");
            if (!trained.Any(t => t))
                throw new InputException($"{path}:{conversation.Line}: messages: the assistant turns render to no tokens to train on");
            rows.Add(new CausalLmRow(null, ids.Select(i => (long)i).ToArray(), ids.Select((id, i) => trained[i] ? id : -100L).ToArray(), conversation.Line));
        }
        return rows;
    }
}

/// <summary>
/// One causal-LM training row: a prompt/response pair (tokenized when batched, as it always was) or a chat
/// conversation already tokenized, with its labels (-100 where the loss does not look).
/// </summary>
internal sealed record CausalLmRow(PromptResponse? Pair, long[]? Ids, long[]? Labels, int Line);
