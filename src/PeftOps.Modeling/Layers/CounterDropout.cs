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

    /// <param name="drawStrides">Where the input's elements sit in a larger tensor whose mask to draw from (see
    /// <see cref="Drop"/>); null for the input's own.</param>
    public Tensor forward(Tensor input, long[]? drawStrides) => training ? Drop(input, p, drawStrides) : input.alias();

    /// <summary>
    /// Training-mode dropout of <paramref name="input"/> with probability <paramref name="p"/>, the function behind the
    /// module. Element i of a contiguous input takes draw i. A strided view whose last dimension is dense (a row slice
    /// such as <c>hidden[:, :1]</c>) takes the draws of its elements' places in the tensor it views, and with
    /// <paramref name="drawStrides"/> (one stride per dimension, the last 1) element (i0, .., ik) takes draw
    /// i0 s0 + .. + ik sk: a computation that keeps only some rows of a tensor drops them as the whole tensor would.
    /// </summary>
    public static Tensor Drop(Tensor input, double p, long[]? drawStrides = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p == 0)
            return input.alias();
        if (p == 1 || input.device.type != DeviceType.CPU || input.dtype != ScalarType.Float32)
            return nn.functional.dropout(input, p, training: true);
        var mask = new Mask(p, NextSeed()) { Layout = DrawLayout.Of(input, drawStrides) };
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
        private const long Chunk = 1 << 16; // elements per parallel task

        /// <summary>Which draw each element takes; null: element i of the contiguous input takes draw i.</summary>
        public DrawLayout? Layout { get; init; }

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
            var (threshold, scale, seed, layout) = (Threshold, Scale, Seed, Layout);
            fixed (byte* s = source.bytes)
            fixed (byte* t = target.bytes)
            {
                var (from, to) = ((nint)s, (nint)t);
                if (layout is null)
                {
                    Parallel.For(0, (n + Chunk - 1) / Chunk, c =>
                    {
                        var first = c * Chunk;
                        Fill((float*)from + first, (float*)to + first, first, Math.Min(Chunk, n - first), seed, threshold, scale);
                    });
                    return;
                }
                // row by row: a row's draws are consecutive from where the layout puts its first element
                var shape = source.shape;
                var row = shape.Length == 0 ? 1 : shape[^1];
                var rows = row == 0 ? 0 : n / row;
                var rowsPerTask = Math.Max(1, Chunk / Math.Max(1, row));
                Parallel.For(0, (rows + rowsPerTask - 1) / rowsPerTask, c =>
                {
                    for (var r = c * rowsPerTask; r < Math.Min(rows, (c + 1) * rowsPerTask); r++)
                        Fill((float*)from + r * row, (float*)to + r * row, layout.FirstDraw(shape, r), row, seed, threshold, scale);
                });
            }
        }

        /// <summary><paramref name="count"/> elements whose draws are <paramref name="first"/>, first + 1, ...</summary>
        private static unsafe void Fill(float* source, float* target, long first, long count, ulong seed, uint threshold, float scale)
        {
            long j = 0;
            if ((first & 1) != 0 && count > 0)
            {
                // an odd first draw is the high half of its pair: alone, so that the vector loops start on a pair
                target[0] = Draw(seed, first) >= threshold ? source[0] * scale : 0f;
                j = 1;
            }
            if (Vector512.IsHardwareAccelerated)
            {
                var pairs8 = Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8);
                var keepFrom16 = Vector512.Create(threshold);
                var scales16 = Vector512.Create(scale);
                for (; j + 16 <= count; j += 16)
                {
                    // eight pairs, sixteen 32-bit draws, as below
                    var z = Vector512.Create(seed) + (Vector512.Create((ulong)((first + j) >> 1)) + pairs8) * Vector512.Create(Golden);
                    z = (z ^ (z >> 30)) * Vector512.Create(Mix1);
                    z = (z ^ (z >> 27)) * Vector512.Create(Mix2);
                    z ^= z >> 31;
                    var keep = Vector512.GreaterThanOrEqual(z.AsUInt32(), keepFrom16).AsSingle();
                    Vector512.BitwiseAnd(Vector512.Load(source + j) * scales16, keep).Store(target + j);
                }
            }
            var pairs = Vector256.Create(1UL, 2, 3, 4);
            var keepFrom = Vector256.Create(threshold);
            var scales = Vector256.Create(scale);
            for (; j + 8 <= count; j += 8)
            {
                // four pairs, eight 32-bit draws, in element order (little-endian halves)
                var z = Vector256.Create(seed) + (Vector256.Create((ulong)((first + j) >> 1)) + pairs) * Vector256.Create(Golden);
                z = (z ^ (z >> 30)) * Vector256.Create(Mix1);
                z = (z ^ (z >> 27)) * Vector256.Create(Mix2);
                z ^= z >> 31;
                var keep = Vector256.GreaterThanOrEqual(z.AsUInt32(), keepFrom).AsSingle();
                Vector256.BitwiseAnd(Vector256.Load(source + j) * scales, keep).Store(target + j);
            }
            for (; j < count; j++)
                target[j] = Draw(seed, first + j) >= threshold ? source[j] * scale : 0f;
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

    /// <summary>Element (i0, .., ik) takes draw Offset + i0 Strides[0] + .. + ik Strides[k]; Strides[k] is 1.</summary>
    internal sealed record DrawLayout(long[] Strides, long Offset)
    {
        /// <summary>The explicit strides; else, for a strided view with a dense last dimension, its places in the
        /// storage it views; else null (a contiguous input, or one whose copy the flat rule draws for).</summary>
        public static DrawLayout? Of(Tensor input, long[]? drawStrides)
        {
            if (drawStrides is not null)
            {
                if (drawStrides.Length != input.dim() || drawStrides.Length == 0 || drawStrides[^1] != 1)
                    throw new ArgumentException($"drawStrides [{string.Join(", ", drawStrides)}] do not fit a tensor of shape [{string.Join(", ", input.shape)}] with its last stride 1", nameof(drawStrides));
                return new DrawLayout(drawStrides, 0);
            }
            if (input.is_contiguous() || input.dim() == 0)
                return null;
            var strides = input.stride();
            return strides[^1] == 1 && strides.All(x => x > 0) ? new DrawLayout(strides, input.storage_offset()) : null;
        }

        /// <summary>The draw of row <paramref name="row"/>'s first element (rows: every dimension but the last).</summary>
        public long FirstDraw(long[] shape, long row)
        {
            var draw = Offset;
            for (var d = shape.Length - 2; d >= 0; d--)
            {
                draw += row % shape[d] * Strides[d];
                row /= shape[d];
            }
            return draw;
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
