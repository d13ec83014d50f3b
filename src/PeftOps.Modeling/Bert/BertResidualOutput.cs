using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>LayerNorm(dropout(dense(x)) + residual): BERT's attention.output and output blocks (post-LayerNorm).</summary>
public sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly AdaptableLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly CounterDropout dropout;

    public BertResidualOutput(BertConfig config, int inFeatures) : base(nameof(BertResidualOutput))
    {
        dense = new AdaptableLinear(inFeatures, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor residual) => forward(x, residual, drawStrides: null);

    /// <param name="drawStrides">For rows kept from a larger tensor: where they sit in it, so that dropout drops them as
    /// it would there (<see cref="CounterDropout.Drop"/>); null otherwise.</param>
    public Tensor forward(Tensor x, Tensor residual, long[]? drawStrides)
    {
        using var scope = NewDisposeScope();
        // the residual is added in place: dense's and dropout's backwards do not read the output they hand on
        return LayerNorm.forward(dropout.forward(dense.forward(x), drawStrides).PlusInPlace(residual)).MoveToOuterDisposeScope();
    }
}
