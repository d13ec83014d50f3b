using PeftOps.Modeling.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Peft.Methods;

/// <summary>
/// LoRA (Hu et al. 2021) on one linear layer, with DoRA (Liu et al. 2024) when a magnitude vector is present:
/// <code>
/// LoRA: y = W0 x + b + s B A dropout(x),                       s = alpha / r (rsLoRA: alpha / sqrt(r))
/// DoRA: y = W0 x + b + (m / |W0 + s B A|_row - 1) W0 x' + (m / |W0 + s B A|_row) s B A x',   x' = dropout(x)
/// </code>
/// with A: [r, in], B: [out, r], m: [out]; the row norm is detached, as PEFT does.
/// A base held in bfloat16 keeps the adapter in float32: as PEFT does, x goes to the adapter in A's dtype,
/// the delta is added to the base output in float32 and the sum is cast back to the base output's dtype.
/// </summary>
public sealed class LoraAdapter : LinearAdapter
{
    private readonly Parameter lora_A;
    private readonly Parameter lora_B;
    private readonly Parameter? lora_magnitude_vector;
    private readonly Dropout dropout;
    private Tensor? unmergedWeight;

    public LoraAdapter(long inFeatures, long outFeatures, int r, double scaling, double dropoutProbability, bool dora) : base(nameof(LoraAdapter))
    {
        Rank = r;
        Scaling = scaling;
        lora_A = new Parameter(zeros(r, inFeatures));
        lora_B = new Parameter(zeros(outFeatures, r));
        lora_magnitude_vector = dora ? new Parameter(ones(outFeatures)) : null;
        dropout = nn.Dropout(dropoutProbability);
        RegisterComponents();
    }

    public int Rank { get; }
    public double Scaling { get; }
    public Parameter A => lora_A;
    public Parameter B => lora_B;
    public Parameter? Magnitude => lora_magnitude_vector;

    /// <summary>
    /// PEFT's initialisations (<c>init_lora_weights</c>). true: A ~ kaiming-uniform(a=sqrt 5) = U(-1/sqrt(in), 1/sqrt(in)),
    /// B = 0; "gaussian" (<paramref name="gaussianA"/>): A ~ N(0, 1/r), B = 0; false (<paramref name="zeroB"/> false):
    /// both as nn.Linear initialises them (B ~ U(-1/sqrt(r), 1/sqrt(r))). DoRA's magnitude starts at the row norms of W0 + s B A.
    /// </summary>
    public void Initialize(AdaptableLinear layer, Generator generator, bool gaussianA, bool zeroB)
    {
        using var _ = no_grad();
        var boundA = 1.0 / Math.Sqrt(lora_A.shape[1]);
        if (gaussianA)
            lora_A.normal_(0.0, 1.0 / Rank, generator);
        else
            lora_A.uniform_(-boundA, boundA, generator);
        if (zeroB)
            lora_B.zero_();
        else
            lora_B.uniform_(-1.0 / Math.Sqrt(Rank), 1.0 / Math.Sqrt(Rank), generator);
        if (lora_magnitude_vector is not null)
            lora_magnitude_vector.copy_(RowNorm(layer.weight, DeltaWeight()));
    }

    /// <summary>[out, in] = s B A.</summary>
    public Tensor DeltaWeight() => matmul(lora_B, lora_A) * Scaling;

    public override Tensor Forward(Tensor input, AdaptableLinear layer)
    {
        using var scope = NewDisposeScope();
        var result = nn.functional.linear(input, layer.weight, layer.bias);
        var resultType = result.dtype;
        var adapterInput = input.to(lora_A.dtype);
        var x = dropout.forward(adapterInput);
        var lora = nn.functional.linear(nn.functional.linear(x, lora_A), lora_B);
        if (lora_magnitude_vector is null)
            return (result + lora * Scaling).to(resultType).MoveToOuterDisposeScope();

        // With dropout active PEFT recomputes W0 x' on the dropped input; otherwise it reuses W0 x.
        // DoRA takes W0 in the adapter's dtype, as PEFT's DoraLinearLayer does.
        var weight = layer.weight.to(lora_A.dtype);
        var baseOut = training && dropout.p > 0 ? nn.functional.linear(x, weight) : nn.functional.linear(adapterInput, weight);
        Tensor norm;
        using (no_grad())
            norm = RowNorm(weight, matmul(lora_B, lora_A) * Scaling);
        var scale = (lora_magnitude_vector / norm).view(1, -1);
        return (result + (scale - 1) * baseOut + scale * lora * Scaling).to(resultType).MoveToOuterDisposeScope();
    }

    public override bool CanMerge(AdaptableLinear layer, out string reason)
    {
        reason = "";
        return true;
    }

    /// <summary>
    /// LoRA: W = W0 + s B A. DoRA: W = (m / |W0 + s B A|_row) (W0 + s B A).
    /// W0 is kept until <see cref="Unmerge"/>: in float32 (W0 + d) - d is not W0, and unmerging must give the base back exactly.
    /// </summary>
    public override void Merge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        unmergedWeight = layer.weight.detach().clone().MoveToOuterDisposeScope();
        var delta = DeltaWeight();
        if (lora_magnitude_vector is null)
        {
            layer.weight.add_(delta);
            return;
        }
        var norm = RowNorm(layer.weight, delta);
        layer.weight.copy_((lora_magnitude_vector / norm).view(-1, 1) * (layer.weight + delta));
    }

    public override void Unmerge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        layer.weight.copy_(unmergedWeight!);
        unmergedWeight!.Dispose();
        unmergedWeight = null;
    }

    /// <summary>[out] = |W0 + delta| over each output row (PEFT's DoRA weight norm).</summary>
    private static Tensor RowNorm(Tensor weight, Tensor delta)
    {
        using var scope = NewDisposeScope();
        return linalg.norm(weight + delta, dims: [1]).MoveToOuterDisposeScope();
    }
}
