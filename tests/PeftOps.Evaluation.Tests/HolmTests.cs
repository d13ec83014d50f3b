using PeftOps.Evaluation.Statistics;

namespace PeftOps.Evaluation.Tests;

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
