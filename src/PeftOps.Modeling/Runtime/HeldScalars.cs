using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Runtime;

/// <summary>
/// Scalars that libtorch may read at any time, and the additions that pass one. TorchSharp 0.107 wraps each number in tensor
/// arithmetic (<c>x + 1e-6</c>, <c>x.pow(2)</c>) and the alpha of each tensor addition (<c>x + y</c> is <c>x.add(y, 1)</c>) in a
/// native Scalar that nothing references once its handle is passed, so a collection on another thread can free it while libtorch
/// still reads it: c10's "Expected false to be true" from <c>Scalar::toFloat</c>, seen failing a streamed chat request while a
/// promotion loaded a model. PeftOps code passes these, or a Scalar in a <c>using</c> local for a value that changes per call;
/// <c>LooseScalarTests</c> reads the IL of every PeftOps assembly and fails on a call that makes a loose one.
/// </summary>
public static class HeldScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    public static Scalar One { get; } = Of(1L);

    /// <summary>
    /// A constant of the code or of a model (an epsilon, a scale, a fill value, a position below its context length), made
    /// once and held for the life of the process; a value a request chooses (a temperature) goes in a <c>using</c> local instead.
    /// </summary>
    public static Scalar Of(double value) => Reals.GetOrAdd(value, v => v.ToScalar());

    /// <inheritdoc cref="Of(double)"/>
    public static Scalar Of(long value) => Integers.GetOrAdd(value, v => v.ToScalar());

    /// <summary><c>arange(start, stop)</c> in int64.</summary>
    public static Tensor Arange(long start, long stop, Device device) => arange(Of(start), Of(stop), One, ScalarType.Int64, device);

    /// <summary><c>arange(stop)</c> in int64.</summary>
    public static Tensor Arange(long stop, Device device) => Arange(0, stop, device);

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a += b</c>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><c>a + value</c>, for a constant <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor a, double value) => a.add(Of(value), One);

    /// <summary><c>1 - a</c>, computed as TorchSharp's operator does (<c>-a + 1</c>).</summary>
    public static Tensor OneMinus(this Tensor a) => a.neg().Plus(1.0);
}
