using PeftOps.Evaluation.Statistics;

namespace PeftOps.Evaluation.Tests;

public class PairedBootstrapTests
{
    private static Func<IReadOnlyList<int>, double> MeanOf(double[] values) => ix => ix.Average(i => values[i]);

    [Fact]
    public void Equal_differences_give_a_zero_width_interval()
    {
        double[] baseline = [0.1, 0.5, 0.3, 0.9, 0.7, 0.2];
        var candidate = baseline.Select(x => x + 0.25).ToArray();

        var result = PairedBootstrap.Run(6, MeanOf(candidate), MeanOf(baseline), 1000, 0.95, seed: 1);

        Assert.Equal(0.25, result.DeltaInterval.Low, precision: 12);
        Assert.Equal(0.25, result.DeltaInterval.High, precision: 12);
        // every resampled difference is > 0: p = 2 (0 + 1) / 1001
        Assert.Equal(2.0 / 1001, result.PValue, precision: 12);
    }

    [Fact]
    public void Identical_models_have_a_zero_interval_and_p_of_one()
    {
        double[] values = [1, 0, 1, 1, 0];
        var result = PairedBootstrap.Run(5, MeanOf(values), MeanOf(values), 1000, 0.95, seed: 3);
        Assert.Equal(new Interval(0, 0), result.DeltaInterval);
        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_does_not()
    {
        double[] candidate = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1];
        double[] baseline = [1, 0, 0, 1, 0, 0, 1, 1, 0, 0];

        var first = PairedBootstrap.Run(10, MeanOf(candidate), MeanOf(baseline), 2000, 0.95, seed: 42);
        var second = PairedBootstrap.Run(10, MeanOf(candidate), MeanOf(baseline), 2000, 0.95, seed: 42);
        var other = PairedBootstrap.Run(10, MeanOf(candidate), MeanOf(baseline), 2000, 0.95, seed: 43);

        Assert.Equal(first, second);
        Assert.NotEqual(first.PValue, other.PValue);
        // the observed values and a plausible interval around them: delta 0.3, candidate 0.7
        Assert.Equal(0.3, first.Delta, precision: 12);
        Assert.True(first.DeltaInterval.Low is >= 0 and < 0.3 && first.DeltaInterval.High is > 0.3 and <= 0.6 + 1e-9, $"{first}");
        Assert.True(first.CandidateInterval.Contains(0.7) && first.CandidateInterval.Low >= 0.3 && first.CandidateInterval.High <= 1);
    }

    [Fact]
    public void Percentile_interval_interpolates_between_order_statistics()
    {
        // type 7: q = 0.025 on 0..10 -> h = 0.25 -> 0.25; q = 0.975 -> h = 9.75 -> 9.75
        var values = Enumerable.Range(0, 11).Select(i => (double)i).Reverse().ToArray();
        var interval = PairedBootstrap.Percentiles(values, 0.95);
        Assert.Equal(0.25, interval.Low, precision: 12);
        Assert.Equal(9.75, interval.High, precision: 12);
        Assert.Equal(5.0, PairedBootstrap.Quantile([.. values.Order()], 0.5));
    }
}
