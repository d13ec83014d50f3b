using PeftOps.Cli.Tests;
using PeftOps.TestSupport;

namespace PeftOps.Serving.Tests;

/// <summary>
/// The tiny Llama decoder adapter (<see cref="TinyLlamaAdapter"/>, LoRA plus a saved lm_head) trained, evaluated and gated
/// once, its base given a chat template of its own words: <c>ROLE : CONTENT . </c> per message, then <c>assistant :</c>.
/// </summary>
public sealed class ChatTrainedRepository : TrainedRepository
{
    public const string Template =
        "{% for message in messages %}{{ message['role'] + ' : ' + message['content'] + ' . ' }}{% endfor %}{% if add_generation_prompt %}{{ 'assistant :' }}{% endif %}";

    public ChatTrainedRepository() : this(new TinyLlamaAdapter(chatTemplate: Template))
    {
    }

    private ChatTrainedRepository(TinyLlamaAdapter adapter) : base("tiny-llama", adapter.Directory, adapter)
    {
    }
}
