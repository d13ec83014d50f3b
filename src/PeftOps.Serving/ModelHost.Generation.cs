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
/// request thread streams what it produced.
/// </summary>
public sealed partial class ModelHost
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConcurrentDictionary<string, ChatTemplate?> _templates = new(StringComparer.Ordinal);

    /// <summary>
    /// Renders <paramref name="messages"/> with the base checkpoint's chat template and the assistant's turn opened
    /// (<c>add_generation_prompt</c>), then generates from that text's tokens (the template writes any bos itself).
    /// </summary>
    /// <exception cref="InputException">The checkpoint has no chat template, the template refuses the messages, or the prompt does not fit.</exception>
    public Task<GeneratedText> ChatAsync(string key, IReadOnlyList<ChatMessage> messages, GenerationOptions options, Action<GeneratedDelta>? onDelta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return TakeTurnAsync(key, model =>
        {
            var template = _templates.GetOrAdd(model.Source.Folder, ChatTemplate.FromCheckpoint)
                ?? throw new InputException($"{model.Source.Reference}: its tokenizer_config.json has no chat_template, so messages cannot be rendered (use /v1/completions)");
            var tokenizer = model.DecoderTokenizer ?? throw new InputException($"{model.Source.Reference}: no tokenizer.json or tokenizer.model");
            var prompt = tokenizer.Encode(template.Render(messages, addGenerationPrompt: true));
            return new Generator(model).Generate([prompt], options, onDelta, cancellationToken)[0];
        }, cancellationToken);
    }

    /// <summary>Generates a continuation of <paramref name="prompt"/>, tokenized as the generator tokenizes text (bos first).</summary>
    public Task<GeneratedText> CompleteAsync(string key, string prompt, GenerationOptions options, Action<GeneratedDelta>? onDelta, CancellationToken cancellationToken) =>
        TakeTurnAsync(key, model => new Generator(model).Generate([prompt], options, onDelta, cancellationToken)[0], cancellationToken);

    private async Task<GeneratedText> TakeTurnAsync(string key, Func<TransformerModel, GeneratedText> generate, CancellationToken cancellationToken)
    {
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

    private static bool IsDecoder(PeftModel peft) => peft.Base.Architecture == ModelArchitecture.LlamaCausalLm;
}
