using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>One post-LayerNorm transformer block: attention, then the feed-forward block with its residual.</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    public BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask) => forward(hidden, additiveMask, clsOnly: false);

    /// <param name="clsOnly">Only the [CLS] position's output, [B, 1, H]: the attention reads every position, and
    /// everything after it runs on one row per sequence.</param>
    public Tensor forward(Tensor hidden, Tensor additiveMask, bool clsOnly)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(hidden, additiveMask, clsOnly);
        return output.forward(intermediate.forward(attended), attended, ClsRowDraws(hidden, clsOnly)).MoveToOuterDisposeScope();
    }

    /// <summary>With <paramref name="clsOnly"/>, [B, 1, H] rows draw their dropout as row 0 of [B, T, H] would; else null.</summary>
    internal static long[]? ClsRowDraws(Tensor hidden, bool clsOnly) =>
        clsOnly ? [hidden.shape[1] * hidden.shape[2], hidden.shape[2], 1] : null;
}
