using PeftOps.Modeling.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>[B, T, H] -> [B, H]: tanh(dense(h[:, 0])), the [CLS] token's pooled output.</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    private readonly AdaptableLinear dense;

    public BertPooler(BertConfig config) : base(nameof(BertPooler))
    {
        dense = new AdaptableLinear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return tanh(dense.forward(hidden.select(1, 0))).MoveToOuterDisposeScope();
    }
}
