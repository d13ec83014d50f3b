using PeftOps.Evaluation.Reporting;

namespace PeftOps.Evaluation.Tests;

public class ReportChartsTests
{
    [Theory]
    [InlineData("refund \"now\"]\n```", "refund _now______")]
    [InlineData("<script>#1;", "_script__1_")]
    [InlineData("order-status", "order-status")]
    public void A_label_from_data_cannot_end_its_string_or_the_block(string label, string expected) =>
        Assert.Equal(expected, ReportCharts.Label(label));

    [Fact]
    public void A_long_label_is_cut() =>
        Assert.Equal(new string('a', 39) + "…", ReportCharts.Label(new string('a', 60)));
}
