using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Layers;

/// <summary>
/// A linear layer, <c>y = x W^T + b</c> with <c>W: [out, in]</c>, that PEFT adapters attach to by name.
/// Every linear layer of the PeftOps models is one of these, so adapters are wired in when the model is
/// built and several adapters can sit on one base model, switched by name without reloading it.
/// Its own parameters keep PyTorch's names (<c>weight</c>, <c>bias</c>) so checkpoints load unchanged.
/// </summary>
public sealed class AdaptableLinear : nn.Module<Tensor, Tensor>
{
    private readonly Dictionary<string, LinearAdapter> adapters = new(StringComparer.Ordinal);
    private string? merged;

#pragma warning disable CA1051, IDE1006 // PyTorch's parameter names, as TorchSharp's own modules expose them
    public readonly Parameter weight;
    public readonly Parameter? bias;
#pragma warning restore CA1051, IDE1006

    public AdaptableLinear(long inFeatures, long outFeatures, bool hasBias = true) : base(nameof(AdaptableLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(empty(outFeatures, inFeatures));
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = new Parameter(zeros(outFeatures));
            register_parameter("bias", bias);
        }
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    /// <summary>The adapter the forward pass uses; null runs the base layer alone.</summary>
    public string? ActiveAdapter { get; private set; }

    /// <summary>The name of the adapter folded into <see cref="weight"/>, if any.</summary>
    public string? MergedAdapter => merged;

    public IReadOnlyDictionary<string, LinearAdapter> Adapters => adapters;

    public void Attach(string name, LinearAdapter adapter)
    {
        if (adapters.ContainsKey(name))
            throw new InvalidOperationException($"adapter '{name}' is already attached");
        adapters[name] = adapter;
        register_module(name, adapter);
        adapter.to(weight.device);
    }

    /// <summary>Selects the adapter by name; a layer the adapter does not touch runs its base weights.</summary>
    public void Activate(string? name)
    {
        if (merged is not null && merged != name)
            throw new InvalidOperationException($"adapter '{merged}' is merged into the weights: unmerge it before switching");
        ActiveAdapter = name is not null && adapters.ContainsKey(name) ? name : null;
    }

    public void Merge()
    {
        if (ActiveAdapter is null || merged is not null)
            return;
        adapters[ActiveAdapter].Merge(this);
        merged = ActiveAdapter;
    }

    public void Unmerge()
    {
        if (merged is null)
            return;
        adapters[merged].Unmerge(this);
        merged = null;
    }

    public override Tensor forward(Tensor input)
    {
        if (ActiveAdapter is null || merged is not null && !adapters[merged].ReplacesLayer)
            return nn.functional.linear(input, weight, bias);
        return adapters[ActiveAdapter].Forward(input, this);
    }
}
