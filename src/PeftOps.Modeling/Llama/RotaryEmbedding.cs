using static TorchSharp.torch;

namespace PeftOps.Modeling.Llama;

/// <summary>
/// Rotary position embedding (RoPE): q' = q cos + rotate_half(q) sin, with
/// inv_freq_i = theta^(-2i / d) and cos/sin of [T, d] = cat(pos * inv_freq, pos * inv_freq).
/// </summary>
public static class RotaryEmbedding
{
    /// <returns>cos and sin, each [1, 1, T, d], in float32 then cast to <paramref name="dtype"/>.</returns>
    public static (Tensor Cos, Tensor Sin) Angles(long length, int headDim, double theta, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32) / headDim;
        var invFreq = 1.0 / pow(tensor(theta, ScalarType.Float32, device), exponents);
        var positions = arange(length, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32);
        var freqs = outer(positions, invFreq);
        var emb = cat([freqs, freqs], -1);
        var cos = emb.cos().to(dtype).unsqueeze(0).unsqueeze(0);
        var sin = emb.sin().to(dtype).unsqueeze(0).unsqueeze(0);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <param name="x">[B, heads, T, d]</param>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
