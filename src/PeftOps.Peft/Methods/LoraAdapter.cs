using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
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
    private readonly CounterDropout dropout;
    private Tensor? mergedNorm;

    public LoraAdapter(long inFeatures, long outFeatures, int r, double scaling, double dropoutProbability, bool dora) : base(nameof(LoraAdapter))
    {
        Rank = r;
        Scaling = scaling;
        lora_A = new Parameter(zeros(r, inFeatures));
        lora_B = new Parameter(zeros(outFeatures, r));
        lora_magnitude_vector = dora ? new Parameter(ones(outFeatures)) : null;
        dropout = new CounterDropout(dropoutProbability);
        RegisterComponents();
    }

    public int Rank { get; }
    public double Scaling { get; }
    public Parameter A => lora_A;
    public Parameter B => lora_B;
    public Parameter? Magnitude => lora_magnitude_vector;

    /// <summary>
    /// DoRA, while merged: [out] = |W0 + s B A|_row, the norm the merge divided by, kept (as PEFT caches it) because
    /// unmerging needs it and it cannot be computed again from the merged weight. Null for LoRA and while unmerged.
    /// </summary>
    public Tensor? MergedNorm => mergedNorm;

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
    public Tensor DeltaWeight() => matmul(lora_B, lora_A).mul(HeldScalars.Of(Scaling));

    public override Tensor Forward(Tensor input, AdaptableLinear layer)
    {
        using var scope = NewDisposeScope();
        var result = nn.functional.linear(input, layer.weight, layer.bias);
        var resultType = result.dtype;
        var adapterInput = input.to(lora_A.dtype);
        var x = dropout.forward(adapterInput);
        var down = nn.functional.linear(x, lora_A); // A x, [.., r]
        if (lora_magnitude_vector is null)
        {
            // s B (A x): s scales the [out, r] matrix, not the [.., out] activations, sparing a pass over them each way;
            // the same bits as PEFT's (B (A x)) s when s is a power of two (alpha 2r, as here by default)
            var up = lora_B.mul(HeldScalars.Of(Scaling));
            if (resultType != down.dtype)
                return result.Plus(nn.functional.linear(down, up)).to(resultType).MoveToOuterDisposeScope();
            // the product adds itself into the base output (addmm's beta 1): the same sum, without a [.., out]
            // temporary and a separate pass to add it
            var sum = addmm(result.reshape(-1, result.shape[^1]), down.reshape(-1, down.shape[^1]), up.t(), beta: 1, alpha: 1);
            return sum.view(result.shape).MoveToOuterDisposeScope();
        }
        var lora = nn.functional.linear(down, lora_B);

        // With dropout active PEFT recomputes W0 x' on the dropped input; otherwise it reuses W0 x.
        // DoRA takes W0 in the adapter's dtype, as PEFT's DoraLinearLayer does.
        var weight = layer.weight.to(lora_A.dtype);
        var baseOut = training && dropout.p > 0 ? nn.functional.linear(x, weight) : nn.functional.linear(adapterInput, weight);
        Tensor norm;
        using (no_grad())
            norm = RowNorm(weight, DeltaWeight());
        var scale = (lora_magnitude_vector / norm).view(1, -1);
        return result.Plus(scale.sub(HeldScalars.One) * baseOut).Plus((scale * lora).mul(HeldScalars.Of(Scaling))).to(resultType).MoveToOuterDisposeScope();
    }

    /// <summary>DoRA's unmerge divides by m / |W0 + s B A|_row, so a zero magnitude entry would lose the base weights: such a merge is refused.</summary>
    public override bool CanMerge(AdaptableLinear layer, out string reason)
    {
        using var scope = NewDisposeScope();
        var zeros = lora_magnitude_vector is null ? 0 : lora_magnitude_vector.eq(HeldScalars.Of(0L)).sum().item<long>();
        reason = zeros > 0 ? $"its lora_magnitude_vector has {zeros} zero entries, so the merge could not be undone" : "";
        return zeros == 0;
    }

    /// <summary>
    /// In place, as PEFT merges: LoRA: W = W0 + s B A. DoRA: W = (m / n) (W0 + s B A), n = |W0 + s B A|_row, with n
    /// kept (<see cref="MergedNorm"/>, [out]). No copy of W0 is kept: <see cref="Unmerge"/> computes it back.
    /// </summary>
    public override void Merge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var delta = DeltaWeight();
        if (lora_magnitude_vector is null)
        {
            layer.weight.PlusInPlace(delta);
            return;
        }
        var norm = RowNorm(layer.weight, delta);
        layer.weight.copy_((lora_magnitude_vector / norm).view(-1, 1) * layer.weight.Plus(delta));
        mergedNorm = norm.DetachFromDisposeScope(); // owned here until Unmerge, whatever scope the caller merged in
    }

    /// <summary>
    /// As PEFT unmerges: LoRA: W0 = W - s B A. DoRA: W0 = W / (m / n) - s B A. Equal to the base weights up to float
    /// rounding (a few ulp of W), not bit for bit: keeping them exactly would take a second copy of every adapted weight.
    /// </summary>
    public override void Unmerge(AdaptableLinear layer)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var delta = DeltaWeight();
        if (lora_magnitude_vector is null)
        {
            layer.weight.sub_(delta);
            return;
        }
        layer.weight.copy_(layer.weight / (lora_magnitude_vector / mergedNorm!).view(-1, 1) - delta);
        mergedNorm!.Dispose();
        mergedNorm = null;
    }

    /// <summary>[out] = |W0 + delta| over each output row (PEFT's DoRA weight norm).</summary>
    private static Tensor RowNorm(Tensor weight, Tensor delta)
    {
        using var scope = NewDisposeScope();
        return linalg.norm(weight.Plus(delta), dims: [1]).MoveToOuterDisposeScope();
    }
}
