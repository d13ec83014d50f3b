using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Layers;

/// <summary>
/// Inverted dropout, as <c>torch.nn.Dropout</c>: in training each element is zeroed with probability p and the rest are
/// scaled by 1 / (1 - p); in evaluation it passes its input through. On the CPU, for float32, whether element i is kept
/// is a pure function of (seed, i), a counter-based draw, so the mask is made in parallel over both cores in one pass
/// that also scales, and is never stored: the backward draws the same mask again from the seed. libtorch's CPU
/// <c>bernoulli_</c> draws its mask on one thread (115 ms for the 12.6 M attention probabilities of one MiniLM layer at
/// 256 x 64, against 20 ms here) and keeps a byte per element until the backward. The seed is one draw from torch's
/// default generator, so <c>manual_seed</c>, resumed training and the activation checkpoint's replay give the same masks.
/// Elsewhere (CUDA, other dtypes) this is libtorch's dropout.
/// </summary>
public sealed class CounterDropout : nn.Module<Tensor, Tensor>
{
    public CounterDropout(double p) : base(nameof(CounterDropout))
    {
        if (p is < 0 or > 1 || double.IsNaN(p))
            throw new ArgumentOutOfRangeException(nameof(p), p, "a dropout probability is 0 to 1");
        this.p = p;
    }

#pragma warning disable CA1051, IDE1006 // torch.nn.Dropout's name, read by the layers that use one
    public readonly double p;
#pragma warning restore CA1051, IDE1006

    public override Tensor forward(Tensor input) => training ? Drop(input, p) : input.alias();

    /// <summary>Training-mode dropout of <paramref name="input"/> with probability <paramref name="p"/>, the function behind the module.</summary>
    public static Tensor Drop(Tensor input, double p)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p == 0)
            return input.alias();
        if (p == 1 || input.device.type != DeviceType.CPU || input.dtype != ScalarType.Float32)
            return nn.functional.dropout(input, p, training: true);
        var mask = new Mask(p, NextSeed());
        if (!is_grad_enabled() || !input.requires_grad)
            return mask.Apply(input);
        ReturnedGradients.Release();
        return CounterDropoutFunction.apply(input, mask);
    }

    private static ulong NextSeed()
    {
        using var draw = randint(0, long.MaxValue, [1], dtype: ScalarType.Int64);
        return (ulong)draw.item<long>();
    }

    /// <summary>
    /// The mask of one call: element i is kept when its 32-bit draw is at least p * 2^32. Elements 2k and 2k + 1 take the
    /// low and high halves of SplitMix64's output for seed + (k + 1) * 0x9E3779B97F4A7C15 (the golden-ratio increment).
    /// </summary>
    internal readonly record struct Mask(double P, ulong Seed)
    {
        private const ulong Golden = 0x9E3779B97F4A7C15UL;
        private const ulong Mix1 = 0xBF58476D1CE4E5B9UL;
        private const ulong Mix2 = 0x94D049BB133111EBUL;
        private const long Chunk = 1 << 16; // elements per parallel task; even, so every task starts on a pair

        private uint Threshold => (uint)Math.Round(P * 4294967296.0);

        private float Scale => (float)(1.0 / (1.0 - P));

        /// <summary>source * mask / (1 - p), as a new contiguous float32 tensor on the CPU.</summary>
        public Tensor Apply(Tensor source)
        {
            using var contiguous = source.contiguous();
            var result = empty_like(contiguous);
            Fill(contiguous, result);
            return result;
        }

        /// <summary>Whether element i is kept (the scalar form of the vector loop, for tests).</summary>
        internal bool Keeps(long i) => Draw(i) >= Threshold;

        private unsafe void Fill(Tensor source, Tensor target)
        {
            var n = source.numel();
            var (threshold, scale, seed) = (Threshold, Scale, Seed);
            fixed (byte* s = source.bytes)
            fixed (byte* t = target.bytes)
            {
                var (from, to) = ((nint)s, (nint)t);
                Parallel.For(0, (n + Chunk - 1) / Chunk, c =>
                    Fill((float*)from, (float*)to, c * Chunk, Math.Min(n, (c + 1) * Chunk), seed, threshold, scale));
            }
        }

        private static unsafe void Fill(float* source, float* target, long start, long end, ulong seed, uint threshold, float scale)
        {
            var i = start;
            if (Vector512.IsHardwareAccelerated)
            {
                var pairs8 = Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8);
                var keepFrom16 = Vector512.Create(threshold);
                var scales16 = Vector512.Create(scale);
                for (; i + 16 <= end; i += 16)
                {
                    // eight pairs, sixteen 32-bit draws, as below
                    var z = Vector512.Create(seed) + (Vector512.Create((ulong)(i >> 1)) + pairs8) * Vector512.Create(Golden);
                    z = (z ^ (z >> 30)) * Vector512.Create(Mix1);
                    z = (z ^ (z >> 27)) * Vector512.Create(Mix2);
                    z ^= z >> 31;
                    var keep = Vector512.GreaterThanOrEqual(z.AsUInt32(), keepFrom16).AsSingle();
                    Vector512.BitwiseAnd(Vector512.Load(source + i) * scales16, keep).Store(target + i);
                }
            }
            var pairs = Vector256.Create(1UL, 2, 3, 4);
            var keepFrom = Vector256.Create(threshold);
            var scales = Vector256.Create(scale);
            for (; i + 8 <= end; i += 8)
            {
                // four pairs, eight 32-bit draws, in element order (little-endian halves)
                var z = Vector256.Create(seed) + (Vector256.Create((ulong)(i >> 1)) + pairs) * Vector256.Create(Golden);
                z = (z ^ (z >> 30)) * Vector256.Create(Mix1);
                z = (z ^ (z >> 27)) * Vector256.Create(Mix2);
                z ^= z >> 31;
                var keep = Vector256.GreaterThanOrEqual(z.AsUInt32(), keepFrom).AsSingle();
                Vector256.BitwiseAnd(Vector256.Load(source + i) * scales, keep).Store(target + i);
            }
            for (; i < end; i++)
                target[i] = Draw(seed, i) >= threshold ? source[i] * scale : 0f;
        }

        private uint Draw(long i) => Draw(Seed, i);

        private static uint Draw(ulong seed, long i)
        {
            var z = seed + ((ulong)(i >> 1) + 1) * Golden;
            z = (z ^ (z >> 30)) * Mix1;
            z = (z ^ (z >> 27)) * Mix2;
            z ^= z >> 31;
            return (i & 1) == 0 ? (uint)z : (uint)(z >> 32);
        }
    }

    /// <summary>The autograd node: the forward and the backward apply the same mask, drawn again from the seed.</summary>
    private sealed class CounterDropoutFunction : autograd.SingleTensorFunction<CounterDropoutFunction>
    {
        public override string Name => nameof(CounterDropout);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var mask = (Mask)vars[1];
            ctx.save_data(nameof(Mask), mask);
            return mask.Apply((Tensor)vars[0]);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            ReturnedGradients.Release();
            var mask = (Mask)ctx.get_data(nameof(Mask));
            var grad = ReturnedGradients.Keep(mask.Apply(grad_output));
            grad_output.Dispose(); // libtorch handed over a new reference for this call
            return [grad, null!];
        }
    }
}
