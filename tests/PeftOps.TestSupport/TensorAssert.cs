using static TorchSharp.torch;

namespace PeftOps.TestSupport;

/// <summary>Assertions on tensors with an explicit absolute tolerance.</summary>
public static class TensorAssert
{
    public static void Close(Tensor expected, Tensor actual, double atol, string what)
    {
        Xunit.Assert.Equal(expected.shape, actual.shape);
        var diff = (expected.to(ScalarType.Float64).cpu() - actual.detach().to(ScalarType.Float64).cpu()).abs().max().item<double>();
        Xunit.Assert.True(diff <= atol, $"{what}: max |expected - actual| = {diff:E3} exceeds {atol:E1}");
    }
}
