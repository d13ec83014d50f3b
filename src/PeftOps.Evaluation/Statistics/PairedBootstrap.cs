namespace PeftOps.Evaluation.Statistics;

/// <summary>
/// Paired bootstrap: draw n example indices with replacement, score both models on the same draw, repeat B times.
/// Percentile intervals use linear interpolation between order statistics (Hyndman and Fan type 7).
/// </summary>
public static class PairedBootstrap
{
    /// <param name="n">number of paired examples.</param>
    /// <param name="candidate">the candidate's metric on a list of example indices (which may repeat).</param>
    /// <param name="baseline">the baseline's metric on the same indices.</param>
    /// <param name="confidence">e.g. 0.95 for the 2.5th to 97.5th percentiles.</param>
    public static BootstrapResult Run(
        int n, Func<IReadOnlyList<int>, double> candidate, Func<IReadOnlyList<int>, double> baseline,
        int resamples, double confidence, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (confidence is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "expected 0 < confidence < 1");

        var all = Enumerable.Range(0, n).ToArray();
        var observedCandidate = candidate(all);
        var observedBaseline = baseline(all);

        var random = new SplitMix64((ulong)seed);
        var candidates = new double[resamples];
        var deltas = new double[resamples];
        var draw = new int[n];
        int atMostZero = 0, atLeastZero = 0;
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < n; i++)
                draw[i] = random.NextInt(n);
            candidates[b] = candidate(draw);
            deltas[b] = candidates[b] - baseline(draw);
            atMostZero += deltas[b] <= 0 ? 1 : 0;
            atLeastZero += deltas[b] >= 0 ? 1 : 0;
        }

        var pValue = Math.Min(1, 2.0 * (Math.Min(atMostZero, atLeastZero) + 1) / (resamples + 1));
        return new BootstrapResult(
            observedCandidate, observedBaseline,
            Percentiles(candidates, confidence), Percentiles(deltas, confidence), pValue, resamples);
    }

    public static Interval Percentiles(double[] values, double confidence)
    {
        var sorted = values.Order().ToArray();
        var alpha = 1 - confidence;
        return new Interval(Quantile(sorted, alpha / 2), Quantile(sorted, 1 - alpha / 2));
    }

    /// <summary>Type-7 quantile of sorted values: h = (n - 1) q, interpolate between floor(h) and ceil(h).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

/// <param name="Candidate">the candidate's value on all paired examples.</param>
/// <param name="Baseline">the baseline's value on the same examples.</param>
/// <param name="CandidateInterval">percentile interval of the candidate's own value.</param>
/// <param name="DeltaInterval">percentile interval of candidate minus baseline.</param>
/// <param name="PValue">two-sided p-value of "no difference": 2 min(#(d* &lt;= 0) + 1, #(d* &gt;= 0) + 1) / (B + 1), at most 1.</param>
public sealed record BootstrapResult(
    double Candidate, double Baseline, Interval CandidateInterval, Interval DeltaInterval, double PValue, int Resamples)
{
    public double Delta => Candidate - Baseline;
}

/// <summary>A confidence interval [Low, High].</summary>
public sealed record Interval(double Low, double High)
{
    public bool Contains(double value) => Low <= value && value <= High;
}
