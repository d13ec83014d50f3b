namespace PeftOps.Evaluation.Tests;

public class McNemarTests
{
    [Theory]
    // b=1, c=8: P(X<=1), X~Bin(9, 1/2) = (1 + 9) / 512; doubled = 0.0390625
    [InlineData(1, 8, 0.0390625)]
    [InlineData(8, 1, 0.0390625)]
    // b=0, c=6: 2 / 64
    [InlineData(0, 6, 0.03125)]
    // b=2, c=10: 2 (1 + 12 + 66) / 4096
    [InlineData(2, 10, 0.03857421875)]
    [InlineData(5, 5, 1.0)]
    [InlineData(0, 0, 1.0)]
    [InlineData(600, 600, 1.0)]
    public void Exact_p_value_matches_the_binomial_by_hand(int b, int c, double expected) =>
        Assert.Equal(expected, McNemar.ExactPValue(b, c), precision: 12);

    [Fact]
    public void Large_counts_do_not_underflow()
    {
        // n = 2000 discordant pairs, all one way: p = 2 * 2^-2000, which is below double's range: 0, not NaN
        var p = McNemar.ExactPValue(0, 2000);
        Assert.False(double.IsNaN(p));
        Assert.True(p < 1e-300);
        // near balance at large n the p-value is large and at most 1
        Assert.InRange(McNemar.ExactPValue(990, 1010), 0.6, 1.0);
    }
}

public class HolmTests
{
    [Fact]
    public void Worked_example_of_four_p_values()
    {
        // sorted: 0.005 (x4) -> 0.020, 0.01 (x3) -> 0.030, 0.03 (x2) -> 0.060, 0.04 (x1) -> max(0.060, 0.040) = 0.060
        var adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Adjusted_p_values_are_capped_at_one_and_a_single_one_is_unchanged()
    {
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.6, 0.7]));
        Assert.Equal([0.2], Holm.Adjust([0.2]));
        Assert.Empty(Holm.Adjust([]));
    }
}

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
