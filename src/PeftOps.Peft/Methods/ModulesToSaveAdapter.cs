using PeftOps.Modeling.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Peft.Methods;

/// <summary>
/// PEFT's <c>modules_to_save</c>: a full, trainable copy of a layer (typically a new classifier head)
/// used instead of the base layer while this adapter is active.
/// </summary>
public sealed class ModulesToSaveAdapter : LinearAdapter
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private Tensor? savedWeight;
    private Tensor? savedBias;

    public ModulesToSaveAdapter(AdaptableLinear layer) : base(nameof(ModulesToSaveAdapter))
    {
        weight = new Parameter(layer.weight.detach().clone());
        bias = layer.bias is null ? null : new Parameter(layer.bias.detach().clone());
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor Forward(Tensor input, AdaptableLinear layer) => nn.functional.linear(input, weight, bias);

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
