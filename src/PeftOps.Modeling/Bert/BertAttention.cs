using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>attention.self then attention.output (dense, dropout, residual, LayerNorm).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;

    public BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask) => forward(hidden, additiveMask, clsOnly: false);

    /// <param name="clsOnly">Only the [CLS] position's output: [B, 1, H] (see <see cref="BertSelfAttention"/>).</param>
    public Tensor forward(Tensor hidden, Tensor additiveMask, bool clsOnly)
    {
        using var scope = NewDisposeScope();
        var residual = clsOnly ? hidden.narrow(1, 0, 1) : hidden;
        return output.forward(self.forward(hidden, additiveMask, clsOnly), residual, BertLayer.ClsRowDraws(hidden, clsOnly)).MoveToOuterDisposeScope();
    }
}
