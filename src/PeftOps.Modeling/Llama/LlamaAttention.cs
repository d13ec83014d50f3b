using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Llama;

/// <summary>
/// Causal grouped-query self-attention with RoPE. Keys and values have NumKeyValueHeads heads, each
/// repeated for heads / kv_heads query heads; softmax runs in float32 as transformers' eager path does.
/// </summary>
public sealed class LlamaAttention : nn.Module<Tensor, Tensor, (Tensor Cos, Tensor Sin), Tensor>
{
    private readonly AdaptableLinear q_proj;
    private readonly AdaptableLinear k_proj;
    private readonly AdaptableLinear v_proj;
    private readonly AdaptableLinear o_proj;
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;

    public LlamaAttention(LlamaConfig config) : base(nameof(LlamaAttention))
    {
        heads = config.NumAttentionHeads;
        kvHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        var qkvBias = config.AttentionBias || config.QkvBias;
        q_proj = new AdaptableLinear(config.HiddenSize, heads * headDim, qkvBias);
        k_proj = new AdaptableLinear(config.HiddenSize, kvHeads * headDim, qkvBias);
        v_proj = new AdaptableLinear(config.HiddenSize, kvHeads * headDim, qkvBias);
        o_proj = new AdaptableLinear(heads * headDim, config.HiddenSize, config.AttentionBias);
        RegisterComponents();
    }

    /// <param name="hidden">[B, T, H]</param>
    /// <param name="additiveMask">[B, 1, T, T]: causal and padding mask, 0 or the dtype's minimum</param>
    public override Tensor forward(Tensor hidden, Tensor additiveMask, (Tensor Cos, Tensor Sin) rope)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (hidden.shape[0], hidden.shape[1]);
        var q = q_proj.forward(hidden).view(b, t, heads, headDim).transpose(1, 2);
        var k = k_proj.forward(hidden).view(b, t, kvHeads, headDim).transpose(1, 2);
        var v = v_proj.forward(hidden).view(b, t, kvHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, rope.Cos, rope.Sin);
        k = RotaryEmbedding.Apply(k, rope.Cos, rope.Sin);
        if (kvHeads != heads)
        {
            k = k.repeat_interleave(heads / kvHeads, dim: 1);
            v = v.repeat_interleave(heads / kvHeads, dim: 1);
        }
        var scores = matmul(q, k.transpose(2, 3)).div(HeldScalars.Of(Math.Sqrt(headDim))).Plus(additiveMask);
        var probs = nn.functional.softmax(scores, -1, ScalarType.Float32).to(q.dtype);
        var context = matmul(probs, v).transpose(1, 2).contiguous().view(b, t, heads * headDim);
        return o_proj.forward(context).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same attention for generation: the new tokens' keys and values are appended to layer
    /// <paramref name="layer"/> of <paramref name="cache"/> and the queries attend over every filled slot.
    /// </summary>
    /// <param name="hidden">[B, T, H]: the new tokens only</param>
    /// <param name="additiveMask">[B, 1, T, cache.Length + T]</param>
    /// <param name="rope">cos and sin of the new tokens' positions, [B, 1, T, d]</param>
    public Tensor forward(Tensor hidden, Tensor additiveMask, (Tensor Cos, Tensor Sin) rope, KvCache cache, int layer)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (hidden.shape[0], hidden.shape[1]);
        var q = RotaryEmbedding.Apply(q_proj.forward(hidden).view(b, t, heads, headDim).transpose(1, 2), rope.Cos, rope.Sin);
        var k = RotaryEmbedding.Apply(k_proj.forward(hidden).view(b, t, kvHeads, headDim).transpose(1, 2), rope.Cos, rope.Sin);
        var v = v_proj.forward(hidden).view(b, t, kvHeads, headDim).transpose(1, 2);
        var (keys, values) = cache.Append(layer, k, v);
        var s = keys.shape[2];
        // Grouped-query attention without copying the cache per head: query head h reads key/value head h / groups,
        // so the groups' queries stack into one [B, kv_heads, groups * T, d] matrix per key/value head.
        var groups = heads / kvHeads;
        var scores = matmul(q.reshape(b, kvHeads, groups * t, headDim), keys.transpose(2, 3)).view(b, heads, t, s).div(HeldScalars.Of(Math.Sqrt(headDim))).Plus(additiveMask);
        var probs = nn.functional.softmax(scores, -1, ScalarType.Float32).to(q.dtype);
        var context = matmul(probs.view(b, kvHeads, groups * t, s), values).view(b, heads, t, headDim)
            .transpose(1, 2).contiguous().view(b, t, heads * headDim);
        return o_proj.forward(context).MoveToOuterDisposeScope();
    }
}
