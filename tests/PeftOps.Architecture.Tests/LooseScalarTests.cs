using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Architecture.Tests;

/// <summary>
/// No PeftOps code gives libtorch a Scalar that the garbage collector may free while libtorch reads it (see
/// <see cref="LooseScalarCalls"/>). Under load that race failed a streamed chat request with c10's "Expected false to be true"
/// from <c>Scalar::toFloat</c>, inside <c>RmsNorm</c>'s <c>+ eps</c>.
/// </summary>
public class LooseScalarTests
{
    [Fact]
    public void No_PeftOps_method_gives_libtorch_a_scalar_that_nothing_holds()
    {
        var loose = ArchitecturePicture.SourceProjects()
            .SelectMany(p => LooseScalarCalls.In(System.Reflection.Assembly.Load(p.Assembly)))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(loose.Count == 0,
            $"{loose.Count} calls make a Scalar nothing holds; pass one from PeftOps.Modeling.Runtime.HeldScalars, a module's field or a `using` local:\n"
            + string.Join("\n", loose));
    }

    [Fact]
    public void The_scan_finds_a_number_in_tensor_arithmetic_and_the_alpha_of_a_tensor_addition()
    {
        Assert.Equal(
            [
                $"{typeof(Loose).FullName}::{nameof(Loose.PlusEps)} calls Tensor.op_Addition(Tensor, Double)",
                $"{typeof(Loose).FullName}::{nameof(Loose.PlusTensor)} calls Tensor.op_Addition(Tensor, Tensor)",
                $"{typeof(Loose).FullName}::{nameof(Loose.Squared)} calls Scalar.op_Implicit(Int32)",
            ],
            LooseScalarCalls.In(typeof(Loose)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_scan_passes_scalars_held_in_a_using_and_arithmetic_without_numbers()
    {
        Assert.Empty(LooseScalarCalls.In(typeof(Held)));
    }

    private static class Loose
    {
        public static Tensor PlusEps(Tensor x) => x + 1e-6;

        public static Tensor PlusTensor(Tensor x, Tensor y) => x + y;

        public static Tensor Squared(Tensor x) => x.pow(2);
    }

    private static class Held
    {
        public static Tensor PlusEps(Tensor x)
        {
            using var eps = 1e-6.ToScalar();
            using var one = 1.ToScalar();
            return x.add(eps, one);
        }

        public static Tensor Product(Tensor x, Tensor y) => x * y - y;
    }
}
