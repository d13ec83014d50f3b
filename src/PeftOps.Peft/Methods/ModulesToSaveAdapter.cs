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
    private Tensor? savedWeight;
    private Tensor? savedBias;

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

    /// <summary>Swaps the copy into the base layer, keeping the original for <see cref="Unmerge"/>.</summary>
    public override void Merge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        savedWeight = layer.weight.detach().clone();
        savedBias = layer.bias?.detach().clone();
        layer.weight.copy_(weight);
        layer.bias?.copy_(bias!);
    }

    public override void Unmerge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        layer.weight.copy_(savedWeight!);
        if (savedBias is not null)
            layer.bias!.copy_(savedBias);
        savedWeight?.Dispose();
        savedBias?.Dispose();
        (savedWeight, savedBias) = (null, null);
    }
}
