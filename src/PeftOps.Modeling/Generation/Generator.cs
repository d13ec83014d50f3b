using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Llama;
using PeftOps.Modeling.Runtime;
using static TorchSharp.torch;

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

/// <summary>
/// One row's output. FinishReason is "stop" (EOS or a stop string) or "length" (MaxNewTokens reached). Tokens are the
/// new tokens, an end-of-sequence token included as transformers returns it; Text leaves out special tokens and
/// everything from a stop string on.
/// </summary>
public sealed record GeneratedText(string Text, IReadOnlyList<int> Tokens, int PromptTokens, string FinishReason);

/// <summary>A piece of a row's text as it is generated (for streaming): Delta is the new text since the last piece.</summary>
public readonly record struct GeneratedDelta(int Row, string Delta);

/// <summary>
/// Autoregressive generation on a decoder (<see cref="ModelArchitecture.LlamaCausalLm"/>) with a KV cache: one prefill of
/// the left-padded prompts, then one token per row per step, as transformers' <c>generate</c> does it.
/// </summary>
/// <remarks>
/// Left padding follows transformers 4.46.3: a row's first real token has position 0, each new token the count of real
/// tokens before it; padded slots stay in the cache, masked as keys. Rows finish on their own (an EOS token of
/// <see cref="LlamaConfig.EosTokenIds"/>, a stop string, or MaxNewTokens); a finished row is fed padding until every row
/// has finished. The model runs in eval mode with autograd off, and its training flag is put back afterwards.
/// </remarks>
public sealed class Generator(TransformerModel model)
{
    public const string FinishedByStop = "stop";
    public const string FinishedByLength = "length";

    public TransformerModel Model { get; } = model;

    /// <summary>
    /// Called at each step with the [B, vocab] logits that chose that step's tokens, before temperature and top-p
    /// (transformers' <c>output_logits</c>); rows that have finished still have a row. For parity checks and scoring.
    /// </summary>
    public Action<int, Tensor>? StepLogits { get; set; }

    /// <summary>Generates for token-id prompts (bos already included where the model wants it), in the input order.</summary>
    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options,
        Action<GeneratedDelta>? onDelta = null, CancellationToken cancellationToken = default)
    {
        var decoder = Model.Module as LlamaForCausalLM
            ?? throw new InputException($"{Model.Source.Reference}: generation needs a causal decoder (this is {Model.Architecture})");
        Check(prompts, options, decoder.Config);
        var wasTraining = Model.Module.training;
        Model.Module.eval();
        try
        {
            using var _ = no_grad();
            return Run(decoder, prompts, options, onDelta, cancellationToken);
        }
        finally
        {
            Model.Module.train(wasTraining);
        }
    }

    /// <summary>Generates for text prompts: each is tokenized with the model's tokenizer and bos (from config.json) put first.</summary>
    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options,
        Action<GeneratedDelta>? onDelta = null, CancellationToken cancellationToken = default) =>
        Generate([.. prompts.Select(EncodePrompt)], options, onDelta, cancellationToken);

    /// <summary>A text prompt's token ids: bos from config.json first where the model has one, then the text's tokens.</summary>
    public int[] EncodePrompt(string prompt)
    {
        var tokenizer = Model.DecoderTokenizer
            ?? throw new InputException($"{Model.Source.Folder}: no tokenizer.json or tokenizer.model, so text prompts cannot be tokenized (give token ids)");
        return [.. (Model.Llama?.BosTokenId is { } bos ? new[] { bos } : []), .. tokenizer.Encode(prompt)];
    }

    /// <summary>A conversation's prompt token ids, encoded by <see cref="ChatPrompt"/> with the checkpoint's chat template.</summary>
    public int[] EncodeChat(IReadOnlyList<ChatMessage> messages)
    {
        chatTemplate ??= ChatTemplate.FromCheckpoint(Model.Source.Folder)
            ?? throw new InputException($"{Model.Source.Folder}: no chat_template in tokenizer_config.json, so chat prompts cannot be rendered (give prompt or token ids)");
        return ChatPrompt.Encode(Model, chatTemplate, messages);
    }

    private ChatTemplate? chatTemplate;

    private void Check(IReadOnlyList<int[]> prompts, GenerationOptions options, LlamaConfig config)
    {
        if (options.MaxNewTokens < 1)
            throw new InputException($"max new tokens must be at least 1 (was {options.MaxNewTokens})");
        if (options.Temperature < 0 || !double.IsFinite(options.Temperature))
            throw new InputException($"temperature must be 0 (greedy) or more (was {options.Temperature})");
        if (options.TopP is <= 0 or > 1 || double.IsNaN(options.TopP))
            throw new InputException($"top-p must be above 0 and at most 1 (was {options.TopP})");
        if (options.Stop.Any(string.IsNullOrEmpty))
            throw new InputException("a stop string must not be empty");
        if (options.Stop.Count > 0 && Model.DecoderTokenizer is null)
            throw new InputException($"{Model.Source.Folder}: stop strings need the checkpoint's tokenizer to decode text, and it has none");
        for (var i = 0; i < prompts.Count; i++)
        {
            if (prompts[i].Length == 0)
                throw new InputException($"prompt {i}: empty (expected at least one token)");
            if (prompts[i].Any(id => id < 0 || id >= config.VocabSize))
                throw new InputException($"prompt {i}: token ids must be 0 to {config.VocabSize - 1}, the model's vocabulary");
            if (prompts[i].Length + options.MaxNewTokens > config.MaxPositionEmbeddings)
                throw new InputException($"prompt {i}: {prompts[i].Length} tokens + {options.MaxNewTokens} new ones exceed the model's {config.MaxPositionEmbeddings} positions (max_position_embeddings)");
        }
    }

    private List<GeneratedText> Run(LlamaForCausalLM decoder, IReadOnlyList<int[]> prompts, GenerationOptions options,
        Action<GeneratedDelta>? onDelta, CancellationToken cancellationToken)
    {
        var rows = prompts.Count;
        if (rows == 0)
            return [];
        var device = Model.Device;
        var eos = decoder.Config.EosTokenIds.ToHashSet();
        var texts = prompts.Select(_ => new RowText(Model.DecoderTokenizer, options.Stop)).ToArray();
        var tokens = prompts.Select(_ => new List<int>()).ToArray();
        var finish = new string?[rows];
        var promptLength = prompts.Max(p => p.Length);

        using var stepTensors = NewDisposeScope();
        using var cache = decoder.NewCache(rows, promptLength + options.MaxNewTokens);
        using var chooser = new TokenChooser(options, rows, device);
        var (ids, keyMask) = LeftPadded(prompts, promptLength, device);
        // transformers 4.46.3: cumsum(attention_mask) - 1, padded slots set to 1
        var positions = keyMask.cumsum(1).sub(HeldScalars.One).masked_fill(keyMask.eq(HeldScalars.Of(0L)), HeldScalars.One);
        for (var step = 0; ; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long[] chosen;
            using (var scope = NewDisposeScope())
            {
                var logits = decoder.NextTokenLogits(ids, positions, keyMask, cache);
                StepLogits?.Invoke(step, logits);
                chosen = chooser.Choose(logits);
            }
            for (var row = 0; row < rows; row++)
            {
                if (finish[row] is not null)
                    continue;
                var token = (int)chosen[row];
                tokens[row].Add(token);
                var delta = eos.Contains(token) ? texts[row].Finish() : texts[row].Add(token);
                if (eos.Contains(token) || texts[row].Stopped)
                    finish[row] = FinishedByStop;
                else if (tokens[row].Count == options.MaxNewTokens)
                    finish[row] = FinishedByLength;
                if (finish[row] is not null)
                    delta += texts[row].Finish();
                if (delta.Length > 0)
                    onDelta?.Invoke(new GeneratedDelta(row, delta));
            }
            if (finish.All(f => f is not null))
                break;
            // Finished rows are fed padding (token 0); their outputs are never read.
            var next = chosen.Select((t, row) => finish[row] is null ? t : 0L).ToArray();
            // The inputs of the next step replace this step's, which are freed at once rather than with the scope.
            var (lastIds, lastPositions, lastMask) = (ids, positions, keyMask);
            ids = tensor(next, [rows, 1L], ScalarType.Int64, device);
            positions = lastPositions[.., ^1..].add(HeldScalars.One, HeldScalars.One);
            keyMask = cat([lastMask, ones(rows, 1, ScalarType.Int64, device)], 1);
            lastIds.Dispose();
            lastPositions.Dispose();
            lastMask.Dispose();
        }
        return [.. Enumerable.Range(0, rows).Select(row => new GeneratedText(texts[row].Text, tokens[row], prompts[row].Length, finish[row]!))];
    }

    // [B, T] ids and mask, each prompt right-aligned after padding (id 0, mask 0).
    private static (Tensor Ids, Tensor Mask) LeftPadded(IReadOnlyList<int[]> prompts, int length, Device device)
    {
        var ids = new long[prompts.Count * length];
        var mask = new long[prompts.Count * length];
        for (var row = 0; row < prompts.Count; row++)
        {
            var offset = row * length + length - prompts[row].Length;
            for (var i = 0; i < prompts[row].Length; i++)
            {
                ids[offset + i] = prompts[row][i];
                mask[offset + i] = 1;
            }
        }
        long[] shape = [prompts.Count, length];
        return (tensor(ids, shape, ScalarType.Int64, device), tensor(mask, shape, ScalarType.Int64, device));
    }
}
