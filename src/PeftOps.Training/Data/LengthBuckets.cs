namespace PeftOps.Training.Data;

/// <summary>
/// Length-bucketed batches: shuffle, sort windows of 50 batches by length so each batch pads little,
/// cut into batches, then shuffle the batch order. Deterministic for a given seed and epoch.
/// </summary>
public static class LengthBuckets
{
    public static IReadOnlyList<int[]> Batches(IReadOnlyList<int> lengths, int batchSize, int seed, int epoch)
    {
        // Not HashCode.Combine: it is randomised per process, and the order must be the same in every run.
        var rng = new Random(unchecked(seed * 1_000_003 + epoch) & int.MaxValue);
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        rng.Shuffle(order);
        var window = batchSize * 50;
        var batches = new List<int[]>();
        for (var start = 0; start < order.Length; start += window)
        {
            var chunk = order.Skip(start).Take(window).OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
            for (var b = 0; b < chunk.Length; b += batchSize)
                batches.Add(chunk.Skip(b).Take(batchSize).ToArray());
        }
        var shuffled = batches.ToArray();
        rng.Shuffle(shuffled);
        return shuffled;
    }
}
