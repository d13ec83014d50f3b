using PeftOps.Modeling.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <summary>While training with autograd on, each layer keeps only its input and runs again in the backward pass (<see cref="ActivationCheckpoint"/>).</summary>
    public bool GradientCheckpointing { get; set; }

    public override Tensor forward(Tensor hidden, Tensor additiveMask) => forward(hidden, additiveMask, clsOnly: false);

    /// <param name="clsOnly">The top layer computes only the [CLS] position, which is all a pooler reads: [B, 1, H] out.
    /// The other positions' top-layer outputs are never computed, forward or backward.</param>
    public Tensor forward(Tensor hidden, Tensor additiveMask, bool clsOnly)
    {
        using var scope = NewDisposeScope();
        var checkpointed = GradientCheckpointing && training && is_grad_enabled();
        var x = hidden;
        var top = layer.Count - 1;
        for (var i = 0; i <= top; i++)
        {
            var block = layer[i];
            var cls = clsOnly && i == top;
            x = checkpointed
                ? ActivationCheckpoint.Run((h, c) => block.forward(h, c[0], cls), x, [additiveMask], [.. block.parameters()])
                : block.forward(x, additiveMask, cls);
        }
        return x.MoveToOuterDisposeScope();
    }
}
