using PeftOps.Modeling.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Peft.Methods;

/// <summary>
/// PEFT's <c>modules_to_save</c>: a full, trainable copy of a layer (typically a new classifier head)
/// used instead of the base layer while this adapter is active. The copy is float32 even when the base is held
/// in bfloat16 (it is trained and saved): its input is cast to float32 and its output back to the input's dtype.
/// </summary>
public sealed class ModulesToSaveAdapter : LinearAdapter
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public ModulesToSaveAdapter(AdaptableLinear layer) : base(nameof(ModulesToSaveAdapter))
    {
        weight = new Parameter(layer.weight.detach().to(ScalarType.Float32, copy: true));
        bias = layer.bias is null ? null : new Parameter(layer.bias.detach().to(ScalarType.Float32, copy: true));
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor Forward(Tensor input, AdaptableLinear layer)
    {
        using var scope = NewDisposeScope();
        return nn.functional.linear(input.to(weight.dtype), weight, bias).to(input.dtype).MoveToOuterDisposeScope();
    }

    public override bool CanMerge(AdaptableLinear layer, out string reason)
    {
        reason = "";
        return true;
    }

    /// <summary>
    /// The copy replaces the layer whole, so there is nothing to fold: merged, the layer goes on running the copy
    /// (<see cref="LinearAdapter.ReplacesLayer"/>) and its own weights stay as they are, with no second copy of them kept.
    /// </summary>
    public override bool ReplacesLayer => true;

    public override void Merge(AdaptableLinear layer)
    {
    }

    public override void Unmerge(AdaptableLinear layer)
    {
    }
}
