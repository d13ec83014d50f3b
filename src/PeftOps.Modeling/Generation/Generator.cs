using PeftOps.Modeling.Checkpoints;

namespace PeftOps.Modeling.Generation;

/// <summary>How to generate: greedy when Temperature is 0, else seeded sampling with nucleus (top-p) filtering.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;
    public double Temperature { get; init; }
    public double TopP { get; init; } = 1.0;
    public long Seed { get; init; }
    /// <summary>Generation of a row ends before the first of these strings; the text returned does not contain it.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];
}

/// <summary>One row's output. FinishReason is "stop" (EOS or a stop string) or "length" (MaxNewTokens reached).</summary>
public sealed record GeneratedText(string Text, IReadOnlyList<int> Tokens, int PromptTokens, string FinishReason);

/// <summary>A piece of a row's text as it is generated (for streaming): Delta is the new text since the last piece.</summary>
public readonly record struct GeneratedDelta(int Row, string Delta);

/// <summary>
/// Autoregressive generation on a decoder (<see cref="ModelArchitecture.LlamaCausalLm"/>) with a KV cache: one prefill of
/// the left-padded prompts, then one token per row per step, as transformers' <c>generate</c> does it.
/// </summary>
public sealed class Generator(TransformerModel model)
{
    public TransformerModel Model { get; } = model;

    /// <summary>Generates for token-id prompts (bos already included where the model wants it), in the input order.</summary>
    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options,
        Action<GeneratedDelta>? onDelta = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("issue 22: generation");

    /// <summary>Generates for text prompts: each is tokenized with the model's tokenizer and bos (from config.json) put first.</summary>
    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options,
        Action<GeneratedDelta>? onDelta = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("issue 22: generation");
}
