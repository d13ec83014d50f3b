using PeftOps.Modeling.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Llama;

/// <summary>Hugging Face's <c>LlamaForCausalLM</c>: [B, T] -> [B, T, vocab]; lm_head tied to embed_tokens when configured.</summary>
public sealed class LlamaForCausalLM : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LlamaModel model;
    private readonly AdaptableLinear lm_head;

    public LlamaForCausalLM(LlamaConfig config) : base(nameof(LlamaForCausalLM))
    {
        Config = config;
        model = new LlamaModel(config);
        lm_head = new AdaptableLinear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return lm_head.forward(model.forward(inputIds, attentionMask)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One generation step: runs the new tokens [B, T] through the decoder with <paramref name="cache"/> (see
    /// <see cref="LlamaModel.forward(Tensor, Tensor, Tensor, KvCache)"/>) and returns the logits of each row's last
    /// token, [B, vocab], as transformers' <c>generate</c> keeps only those.
    /// </summary>
    public Tensor NextTokenLogits(Tensor inputIds, Tensor positionIds, Tensor keyMask, KvCache cache)
    {
        using var scope = NewDisposeScope();
        var hidden = model.forward(inputIds, positionIds, keyMask, cache);
        return lm_head.forward(hidden[.., -1, ..]).MoveToOuterDisposeScope();
    }

    /// <summary>An empty KV cache for <paramref name="batch"/> rows of up to <paramref name="capacity"/> tokens, on the model's device and dtype.</summary>
    public KvCache NewCache(long batch, long capacity)
    {
        var weight = lm_head.weight;
        return new KvCache(Config, batch, capacity, weight.device, weight.dtype);
    }

    /// <summary>Tied embeddings: lm_head.weight is the same tensor as embed_tokens.weight.</summary>
    public void TieWeights()
    {
        using var _ = no_grad();
        lm_head.weight.set_(model.EmbedTokens.weight!);
    }

    /// <summary>
    /// Next-token cross-entropy as transformers computes it: logits[:, :-1] predict labels[:, 1:],
    /// positions labelled -100 (padding, prompts) ignored, mean over the rest.
    /// </summary>
    public static Tensor NextTokenLoss(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var vocab = logits.shape[^1];
        var shifted = logits[.., ..^1, ..].reshape(-1, vocab).to(ScalarType.Float32);
        var targets = labels[.., 1..].reshape(-1);
        return nn.functional.cross_entropy(shifted, targets, ignore_index: -100).MoveToOuterDisposeScope();
    }
}
