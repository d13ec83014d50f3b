using PeftOps.Modeling.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>
/// Multi-head self-attention. softmax(q k^T / sqrt(d) + mask) v, with the additive mask
/// [B, 1, 1, T] = (1 - attention_mask) * finfo.min, as transformers builds it.
/// </summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly AdaptableLinear query;
    private readonly AdaptableLinear key;
    private readonly AdaptableLinear value;
    private readonly Dropout dropout;
    private readonly int heads;
    private readonly int headDim;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        heads = config.NumAttentionHeads;
        headDim = config.HeadDim;
        query = new AdaptableLinear(config.HiddenSize, config.HiddenSize);
        key = new AdaptableLinear(config.HiddenSize, config.HiddenSize);
        value = new AdaptableLinear(config.HiddenSize, config.HiddenSize);
        dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        RegisterComponents();
    }

    /// <param name="hidden">[B, T, H]</param>
    /// <param name="additiveMask">[B, 1, 1, T]</param>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (hidden.shape[0], hidden.shape[1]);
        Tensor Split(Tensor x) => x.view(b, t, heads, headDim).transpose(1, 2); // [B, heads, T, d]
        var q = Split(query.forward(hidden));
        var k = Split(key.forward(hidden));
        var v = Split(value.forward(hidden));
        var scores = matmul(q, k.transpose(-1, -2)) / Math.Sqrt(headDim) + additiveMask;
        var probs = dropout.forward(nn.functional.softmax(scores, -1));
        var context = matmul(probs, v).transpose(1, 2).contiguous().view(b, t, heads * headDim);
        return context.MoveToOuterDisposeScope();
    }
}
