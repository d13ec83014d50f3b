using System.Collections.Concurrent;
using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Generation;
using PeftOps.Peft;

namespace PeftOps.Serving;

/// <summary>
/// Generation on a decoder base. Requests take turns (<see cref="_turn"/>, first come first served, waiting without a
/// thread): one generation holds the shared model, its layers switched to its version and its KV cache, from prefill to
/// the last token; TorchSharp modules are not safe for concurrent forwards. The model runs on a worker thread while the
/// request thread streams what it produced. At most <see cref="ServeOptions.QueueCapacity"/> requests wait for the turn;
/// one more is refused at once (<see cref="Overloaded"/>).
/// </summary>
public sealed partial class ModelHost
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _inLine; // requests waiting for the turn or holding it
    private readonly ConcurrentDictionary<string, ChatTemplate?> _templates = new(StringComparer.Ordinal);

    /// <summary>
    /// Encodes <paramref name="messages"/> with the base checkpoint's chat template and the assistant's turn opened
    /// (<see cref="ChatPrompt"/>, as <c>peftops generate</c> and evaluate's generation suites encode them), then generates.
    /// </summary>
    /// <param name="fitContext">Lower <see cref="GenerationOptions.MaxNewTokens"/> to the room the prompt leaves in the
    /// model's context (a request that named no limit); otherwise a prompt and limit beyond the context are refused.</param>
    /// <exception cref="InputException">The checkpoint has no chat template, the template refuses the messages, or the prompt does not fit.</exception>
    public Task<GeneratedText> ChatAsync(string key, IReadOnlyList<ChatMessage> messages, GenerationOptions options, bool fitContext,
        Action<GeneratedDelta>? onDelta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return TakeTurnAsync(key, model =>
        {
            var template = _templates.GetOrAdd(model.Source.Folder, ChatTemplate.FromCheckpoint)
                ?? throw new InputException($"{model.Source.Reference}: its tokenizer_config.json has no chat_template, so messages cannot be rendered (use /v1/completions)");
            var prompt = ChatPrompt.Encode(model, template, messages);
            return new Generator(model).Generate([prompt], Fitted(model, prompt, options, fitContext), onDelta, cancellationToken)[0];
        }, cancellationToken);
    }

    /// <summary>Generates a continuation of <paramref name="prompt"/>, tokenized as the generator tokenizes text (bos first).</summary>
    /// <param name="fitContext">As for <see cref="ChatAsync"/>.</param>
    public Task<GeneratedText> CompleteAsync(string key, string prompt, GenerationOptions options, bool fitContext,
        Action<GeneratedDelta>? onDelta, CancellationToken cancellationToken) =>
        TakeTurnAsync(key, model =>
        {
            var generator = new Generator(model);
            var ids = generator.EncodePrompt(prompt);
            return generator.Generate([ids], Fitted(model, ids, options, fitContext), onDelta, cancellationToken)[0];
        }, cancellationToken);

    /// <summary>With <paramref name="fit"/>, at most the positions left after the prompt (at least 1, so a prompt that fills the context is still refused).</summary>
    private static GenerationOptions Fitted(TransformerModel model, int[] prompt, GenerationOptions options, bool fit) =>
        fit && model.Llama is { } config
            ? options with { MaxNewTokens = Math.Clamp(config.MaxPositionEmbeddings - prompt.Length, 1, options.MaxNewTokens) }
            : options;

    /// <exception cref="Overloaded"><see cref="ServeOptions.QueueCapacity"/> requests already wait for the turn.</exception>
    private async Task<GeneratedText> TakeTurnAsync(string key, Func<TransformerModel, GeneratedText> generate, CancellationToken cancellationToken)
    {
        try
        {
            if (Interlocked.Increment(ref _inLine) > _options.QueueCapacity + 1)
                throw new Overloaded($"the server is overloaded (the queue of completions waiting for their turn is full: {_options.QueueCapacity}); retry after {Overloaded.RetryAfterSeconds} s");
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await Task.Run(() =>
                {
                    lock (_gate)
                        return generate(Activate(key).Base);
                }, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _turn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inLine);
        }
    }

    private static bool IsDecoder(PeftModel peft) => peft.Base.Architecture == ModelArchitecture.LlamaCausalLm;
}
