using PeftOps.Modeling.Runtime;
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
        var positions = HeldScalars.Arange(length, device).to(ScalarType.Float32);
        var freqs = outer(positions, InverseFrequencies(headDim, theta, device));
        var emb = cat([freqs, freqs], -1);
        var cos = emb.cos().to(dtype).unsqueeze(0).unsqueeze(0);
        var sin = emb.sin().to(dtype).unsqueeze(0).unsqueeze(0);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Angles of given positions, one set per row: what generation needs, where a left-padded row's first real token
    /// is position 0 and each new token's position is the count of real tokens before it.
    /// </summary>
    /// <param name="positionIds">[B, T] integer positions</param>
    /// <returns>cos and sin, each [B, 1, T, d]</returns>
    public static (Tensor Cos, Tensor Sin) Angles(Tensor positionIds, int headDim, double theta, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        // [B, T, d/2] = positions x inv_freq, the product transformers' LlamaRotaryEmbedding takes in float32
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * InverseFrequencies(headDim, theta, positionIds.device);
        var emb = cat([freqs, freqs], -1);
        var cos = emb.cos().to(dtype).unsqueeze(1);
        var sin = emb.sin().to(dtype).unsqueeze(1);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    // [d/2]: theta^(-2i / d), in float32
    private static Tensor InverseFrequencies(int headDim, double theta, Device device)
    {
        var exponents = arange(HeldScalars.Of(0L), HeldScalars.Of(headDim), HeldScalars.Of(2L), ScalarType.Int64, device).to(ScalarType.Float32).div(HeldScalars.Of(headDim));
        return pow(tensor(theta, ScalarType.Float32, device), exponents).reciprocal(); // 1 / theta^e
    }

    /// <param name="x">[B, heads, T, d]</param>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return (x * cos).Plus(rotated * sin).MoveToOuterDisposeScope();
    }
}
