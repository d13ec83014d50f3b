namespace PeftOps.Contracts.Tests;

/// <summary>The one definition of the sticky comments' markers, which the renderers write and the GitHub publisher finds.</summary>
public sealed class ReportMarkerTests
{
    [Theory]
    [InlineData("support-intents", "<!-- peftops:report adapter=support-intents -->", "<!-- peftops:compare adapter=support-intents -->")]
    [InlineData("x --> <script>alert(1)</script>", "<!-- peftops:report adapter=x_--___script_alert_1___script_ -->", "<!-- peftops:compare adapter=x_--___script_alert_1___script_ -->")]
    public void A_marker_names_the_adapter_and_cannot_close_early(string adapter, string report, string comparison)
    {
        Assert.Equal(report, ReportMarker.For(adapter));
        Assert.Equal(comparison, ReportMarker.ForComparison(adapter));
    }

    [Fact]
    public void Prepend_puts_the_marker_first_only_where_it_is_missing()
    {
        var marker = ReportMarker.For("a");

        Assert.Equal($"{marker}\n## report\n", ReportMarker.Prepend(marker, "## report\n"));
        Assert.Equal($"# earlier\n{marker}\n## report\n", ReportMarker.Prepend(marker, $"# earlier\n{marker}\n## report\n"));
        Assert.Equal($"{marker}\n{ReportMarker.ForComparison("a")}\n", ReportMarker.Prepend(marker, $"{ReportMarker.ForComparison("a")}\n"));
    }
}
