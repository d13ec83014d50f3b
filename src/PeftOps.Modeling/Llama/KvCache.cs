using static TorchSharp.torch;

namespace PeftOps.Modeling.Llama;

/// <summary>
/// The keys and values each decoder layer has computed so far, for generation: per layer two buffers
/// [B, kv_heads, Capacity, head_dim] allocated once, of which the first <see cref="Length"/> slots are filled.
/// A forward over T new tokens writes slots [Length, Length + T) and attends over [0, Length + T), so the prompt is
/// run once and each later token costs one slot (transformers' <c>DynamicCache</c>, without re-allocating per step).
/// Slots are absolute cache positions: a left-padded row keeps its padded slots, masked as keys.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    public KvCache(LlamaConfig config, long batch, long capacity, Device device, ScalarType dtype)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Batch = batch;
        Capacity = capacity;
        long[] shape = [batch, config.NumKeyValueHeads, capacity, config.HeadDim];
        keys = [.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => zeros(shape, dtype, device).DetachFromDisposeScope())];
        values = [.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => zeros(shape, dtype, device).DetachFromDisposeScope())];
    }

    public long Batch { get; }
    public long Capacity { get; }

    /// <summary>How many slots (tokens per row, padding included) are filled.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Writes layer <paramref name="layer"/>'s new keys and values ([B, kv_heads, T, d], RoPE applied) at slot
    /// <see cref="Length"/> and returns views of every filled slot, [B, kv_heads, Length + T, d].
    /// </summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        var t = newKeys.shape[2];
        if (Length + t > Capacity)
            throw new InvalidOperationException($"the KV cache holds {Capacity} tokens; {Length} are filled and {t} more do not fit");
        using (no_grad())
        {
            keys[layer].narrow(2, Length, t).copy_(newKeys);
            values[layer].narrow(2, Length, t).copy_(newValues);
        }
        return (keys[layer].narrow(2, 0, Length + t), values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Marks <paramref name="tokens"/> more slots filled, once every layer has appended them.</summary>
    internal void Advance(long tokens) => Length += tokens;

    public void Dispose()
    {
        foreach (var t in keys.Concat(values))
            t.Dispose();
    }
}
