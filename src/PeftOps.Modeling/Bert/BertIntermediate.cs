using PeftOps.Modeling.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>[B, T, H] -> [B, T, I]: act(dense(x)); BERT's act is the exact (erf) GELU.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly AdaptableLinear dense;
    private readonly bool tanhGelu;

    public BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        dense = new AdaptableLinear(config.HiddenSize, config.IntermediateSize);
        tanhGelu = config.HiddenAct is "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast";
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = dense.forward(x);
        var y = tanhGelu ? nn.functional.gelu(h, approximate: GELU.Approximate.tanh) : nn.functional.gelu(h);
        return y.MoveToOuterDisposeScope();
    }
}
