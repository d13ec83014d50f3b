using PeftOps.Evaluation.Statistics;

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
