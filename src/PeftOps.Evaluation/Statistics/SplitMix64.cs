namespace PeftOps.Evaluation.Statistics;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output depends only on the seed, never on
/// the .NET version, so a seeded bootstrap gives identical intervals everywhere.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) by Lemire's multiply-shift (bias below 2^-32 for the n used here).</summary>
    public int NextInt(int n) => (int)((Next() >> 32) * (ulong)n >> 32);
}
