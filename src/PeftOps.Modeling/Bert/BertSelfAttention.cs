using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>
/// Multi-head self-attention. softmax(q k^T / sqrt(d) + mask) v, with the additive mask
/// [B, 1, 1, T] = (1 - attention_mask) * finfo.min, as transformers builds it.
/// Where nothing is differentiated and no dropout applies (evaluation, prediction, frozen layers in eval mode) it runs
/// as one fused kernel, libtorch's scaled_dot_product_attention; otherwise as separate ops, which on a CPU were
/// faster with a backward pass or dropout at BERT's sizes (benchmarks/README.md, "Speed and size").
/// </summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly AdaptableLinear query;
    private readonly AdaptableLinear key;
    private readonly AdaptableLinear value;
    private readonly CounterDropout dropout;
    private readonly int heads;
    private readonly int headDim;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        heads = config.NumAttentionHeads;
        headDim = config.HeadDim;
        query = new AdaptableLinear(config.HiddenSize, config.HiddenSize);
        key = new AdaptableLinear(config.HiddenSize, config.HiddenSize);
        value = new AdaptableLinear(config.HiddenSize, config.HiddenSize);
        dropout = new CounterDropout(config.AttentionProbsDropoutProb);
        RegisterComponents();
    }

    /// <param name="hidden">[B, T, H]</param>
    /// <param name="additiveMask">[B, 1, 1, T]</param>
    public override Tensor forward(Tensor hidden, Tensor additiveMask) => forward(hidden, additiveMask, clsOnly: false);

    /// <param name="clsOnly">Only the first ([CLS]) position queries: [B, 1, H] out, every position still a key and a value.</param>
    public Tensor forward(Tensor hidden, Tensor additiveMask, bool clsOnly)
    {
        using var scope = NewDisposeScope();
        var b = hidden.shape[0];
        Tensor Split(Tensor x) => x.view(b, -1, heads, headDim).transpose(1, 2); // [B, heads, T, d]
        var queries = clsOnly ? hidden.narrow(1, 0, 1) : hidden;
        var q = Split(query.forward(queries));
        var k = Split(key.forward(hidden));
        var v = Split(value.forward(hidden));
        var fused = !(training && dropout.p > 0) && !(is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad));
        // [B, heads, T, d]; the fused kernel's default scale is 1 / sqrt(d)
        var attended = fused
            ? nn.functional.scaled_dot_product_attention(q, k, v, additiveMask)
            : matmul(dropout.forward(nn.functional.softmax(Scores(q, k, additiveMask), -1), clsOnly ? ClsRowDraws(k.shape[2]) : null), v);
        return attended.transpose(1, 2).contiguous().view(b, -1, heads * headDim).MoveToOuterDisposeScope();
    }

    /// <summary>The [CLS] query's probabilities [B, heads, 1, T] draw their dropout as row 0 of all T queries' would.</summary>
    private long[] ClsRowDraws(long t) => [heads * t * t, t * t, t, 1];

    /// <summary>q k^T / sqrt(d) + mask, scaled and masked in place in the product's own memory: neither step's
    /// backward reads what it overwrites, and the products' backward reads q and k.</summary>
    private Tensor Scores(Tensor q, Tensor k, Tensor additiveMask) =>
        matmul(q, k.transpose(-1, -2)).div_(HeldScalars.Of(Math.Sqrt(headDim))).PlusInPlace(additiveMask);
}
