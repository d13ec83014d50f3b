using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Peft.Methods;

/// <summary>
/// IA3 (Liu et al. 2022): a learned vector rescales a layer's activations.
/// Feed-forward layers scale their input, y = W (x * l) + b with l: [1, in];
/// the others scale their output, y = (W x + b) * l with l: [out, 1] (applied flattened), as PEFT does.
/// With a bfloat16 base, l stays float32: the scaled input or output is cast back to the base's dtype, as PEFT does.
/// </summary>
public sealed class Ia3Adapter : LinearAdapter
{
    private readonly Parameter ia3_l;

    public Ia3Adapter(long inFeatures, long outFeatures, bool feedforward) : base(nameof(Ia3Adapter))
    {
        IsFeedforward = feedforward;
        ia3_l = new Parameter(feedforward ? ones(1, inFeatures) : ones(outFeatures, 1));
        RegisterComponents();
    }

    public bool IsFeedforward { get; }
    public Parameter Vector => ia3_l;

    public override Tensor Forward(Tensor input, AdaptableLinear layer)
    {
        using var scope = NewDisposeScope();
        var y = IsFeedforward
            ? nn.functional.linear((input.to(ia3_l.dtype) * ia3_l.flatten()).to(input.dtype), layer.weight, layer.bias)
            : nn.functional.linear(input, layer.weight, layer.bias) * ia3_l.flatten();
        y = y.to(input.dtype);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Unmerging divides by l, so a zero entry would lose the base weights: such a merge is refused.</summary>
    public override bool CanMerge(AdaptableLinear layer, out string reason)
    {
        using var scope = NewDisposeScope();
        var zeros = ia3_l.eq(HeldScalars.Of(0L)).sum().item<long>();
        reason = zeros > 0 ? $"its ia3_l vector has {zeros} zero entries, so the merge could not be undone exactly" : "";
        return zeros == 0;
    }

    /// <summary>In place, as PEFT merges: feed-forward: W[:, j] *= l_j. Otherwise: W[i, :] *= l_i and b_i *= l_i.</summary>
    public override void Merge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        layer.weight.mul_(ia3_l);
        if (!IsFeedforward)
            layer.bias?.mul_(ia3_l.flatten());
    }

    /// <summary>
    /// Divides by l again, in place, as PEFT unmerges (without its + 1e-8: a zero entry is refused by <see cref="CanMerge"/>):
    /// the base weights up to float rounding, with no copy of them kept while merged.
    /// </summary>
    public override void Unmerge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        layer.weight.div_(ia3_l);
        if (!IsFeedforward)
            layer.bias?.div_(ia3_l.flatten());
    }
}
