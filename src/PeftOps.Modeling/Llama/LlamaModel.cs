using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Llama;

/// <summary>Hugging Face's <c>LlamaModel</c>: token embeddings, decoder layers, final RMSNorm.</summary>
public sealed class LlamaModel : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly LlamaConfig config;

    public LlamaModel(LlamaConfig config) : base(nameof(LlamaModel))
    {
        this.config = config;
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new LlamaDecoderLayer(config)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    internal Embedding EmbedTokens => embed_tokens;

    /// <summary>
    /// transformers' <c>gradient_checkpointing</c>: while training with autograd on, each decoder layer keeps only its
    /// input and is run again in the backward pass (<see cref="ActivationCheckpoint"/>). Same losses and gradients;
    /// activation memory of one layer instead of all of them, for about one more forward pass per step.
    /// </summary>
    public bool GradientCheckpointing { get; set; }

    /// <returns>[B, T, H] final hidden states</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var h = embed_tokens.forward(inputIds);
        var t = inputIds.shape[1];
        var rope = RotaryEmbedding.Angles(t, config.HeadDim, config.RopeTheta, h.device, h.dtype);
        var mask = CausalMask(attentionMask, h.dtype, config.SlidingWindow);
        var checkpointed = GradientCheckpointing && training && is_grad_enabled();
        foreach (var layer in layers)
        {
            h = checkpointed
                ? ActivationCheckpoint.Run((x, c) => layer.forward(x, c[0], (c[1], c[2])), h, [mask, rope.Cos, rope.Sin], [.. layer.parameters()])
                : layer.forward(h, mask, rope);
        }
        return norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Forward over new tokens with a KV cache (generation): their keys and values are appended to
    /// <paramref name="cache"/> and they attend over every filled slot. The prompt is fed once, then one token per row.
    /// </summary>
    /// <param name="inputIds">[B, T] the new tokens</param>
    /// <param name="positionIds">[B, T] their RoPE positions</param>
    /// <param name="keyMask">[B, cache.Length + T]: 1 for a real token's slot, 0 for padding, the new tokens included</param>
    /// <returns>[B, T, H] final hidden states of the new tokens</returns>
    public Tensor forward(Tensor inputIds, Tensor positionIds, Tensor keyMask, KvCache cache)
    {
        using var scope = NewDisposeScope();
        var h = embed_tokens.forward(inputIds);
        var rope = RotaryEmbedding.Angles(positionIds, config.HeadDim, config.RopeTheta, h.dtype);
        var mask = CachedMask(keyMask, cache.Length, inputIds.shape[1], h.dtype, config.SlidingWindow);
        for (var i = 0; i < layers.Count; i++)
            h = layers[i].forward(h, mask, rope, cache, i);
        cache.Advance(inputIds.shape[1]);
        return norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, start + T] -> [B, 1, T, start + T] for T queries at cache slots start.. : key slot j visible to query slot i when
    /// j &lt;= i, j is not padding and, with a sliding window W, j &gt; i - W (transformers 4.46.3's mask with a cache,
    /// which counts the window in cache slots).
    /// </summary>
    public static Tensor CachedMask(Tensor keyMask, long start, long queries, ScalarType dtype, int? slidingWindow = null)
    {
        using var scope = NewDisposeScope();
        var device = keyMask.device;
        var querySlots = HeldScalars.Arange(start, start + queries, device).unsqueeze(1);
        var keySlots = HeldScalars.Arange(keyMask.shape[1], device).unsqueeze(0);
        var band = keySlots.le(querySlots);
        if (slidingWindow is { } window)
            band = band.logical_and(keySlots.gt(querySlots.sub(HeldScalars.Of((long)window))));
        var visible = band.unsqueeze(0).unsqueeze(0).logical_and(keyMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2));
        return zeros(visible.shape, dtype, device).masked_fill(visible.logical_not(), HeldScalars.Of(finfo(dtype).min)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, T] -> [B, 1, T, T]: key j visible to query i when j &lt;= i, j is not padding and, with a sliding window W,
    /// j &gt; i - W (transformers' sliding-window causal mask).
    /// </summary>
    public static Tensor CausalMask(Tensor attentionMask, ScalarType dtype, int? slidingWindow = null)
    {
        using var scope = NewDisposeScope();
        var t = attentionMask.shape[1];
        var band = ones(t, t, ScalarType.Bool, attentionMask.device).tril();
        if (slidingWindow is { } window && window < t)
            band = band.triu(-(window - 1));
        var causal = band.unsqueeze(0).unsqueeze(0);
        var keys = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2);
        var visible = causal.logical_and(keys);
        return zeros(visible.shape, dtype, attentionMask.device).masked_fill(visible.logical_not(), HeldScalars.Of(finfo(dtype).min)).MoveToOuterDisposeScope();
    }
}
