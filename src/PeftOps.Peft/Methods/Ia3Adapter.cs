using PeftOps.Modeling.Layers;
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
    private Tensor? unmergedWeight;
    private Tensor? unmergedBias;

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
        var zeros = ia3_l.eq(0).sum().item<long>();
        reason = zeros > 0 ? $"its ia3_l vector has {zeros} zero entries, so the merge could not be undone exactly" : "";
        return zeros == 0;
    }

    /// <summary>
    /// Feed-forward: W[:, j] *= l_j. Otherwise: W[i, :] *= l_i and b_i *= l_i.
    /// W and b are kept until <see cref="Unmerge"/>, which restores them exactly (dividing by l would round).
    /// </summary>
    public override void Merge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        unmergedWeight = layer.weight.detach().clone();
        unmergedBias = layer.bias?.detach().clone();
        layer.weight.mul_(ia3_l);
        if (!IsFeedforward)
            layer.bias?.mul_(ia3_l.flatten());
    }

    public override void Unmerge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        layer.weight.copy_(unmergedWeight!);
        if (unmergedBias is not null)
            layer.bias!.copy_(unmergedBias);
        unmergedWeight?.Dispose();
        unmergedBias?.Dispose();
        (unmergedWeight, unmergedBias) = (null, null);
    }
}
