using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Layers;

/// <summary>
/// What a PEFT method adds to one <see cref="AdaptableLinear"/>. The adapter computes the layer's whole
/// output, because methods differ in where they act: LoRA adds a low-rank delta, DoRA rescales the
/// adapted weight per output row, IA3 scales the layer's input or output.
/// </summary>
public abstract class LinearAdapter : nn.Module
{
    protected LinearAdapter(string name) : base(name) { }

    /// <summary>[*, in] -> [*, out]: the adapted layer's output.</summary>
    public abstract Tensor Forward(Tensor input, AdaptableLinear layer);

    /// <summary>Whether <see cref="Merge"/> folds this adapter into the base weights exactly.</summary>
    public abstract bool CanMerge(AdaptableLinear layer, out string reason);

    /// <summary>
    /// Whether the adapter stands in for the whole layer (PEFT's modules_to_save), so that merged, the layer still runs
    /// <see cref="Forward"/> instead of its own weights: there is nothing to fold in.
    /// </summary>
    public virtual bool ReplacesLayer => false;

    /// <summary>Folds the adapter into <paramref name="layer"/>'s weight (and bias), in place, keeping no copy of them.</summary>
    public abstract void Merge(AdaptableLinear layer);

    /// <summary>Undoes <see cref="Merge"/>, in place: the base weights back, up to float rounding.</summary>
    public abstract void Unmerge(AdaptableLinear layer);
}
