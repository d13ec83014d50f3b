using PeftOps.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Llama;

/// <summary>y = w * (x / sqrt(mean(x^2) + eps)), computed in float32 and cast back, as transformers' LlamaRMSNorm.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
#pragma warning disable CA1051, IDE1006 // PyTorch's parameter name
    public readonly Parameter weight;
#pragma warning restore CA1051, IDE1006
    private readonly double eps;

    public RmsNorm(int size, double eps) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(size));
        register_parameter("weight", weight);
        this.eps = eps;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.to(ScalarType.Float32);
        h = h * rsqrt(h.pow(HeldScalars.Of(2L)).mean([-1L], keepdim: true).Plus(eps));
        return (weight * h.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
