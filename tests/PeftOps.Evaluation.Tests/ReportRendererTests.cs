using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Reporting;
using PeftOps.Evaluation.Tests.Support;

namespace PeftOps.Evaluation.Tests;

public class ReportRendererTests
{
    [Theory]
    [InlineData("support-intents")]
    [InlineData("x --> <script>alert(1)</script>")]
    public void The_report_starts_with_the_adapters_marker(string adapter)
    {
        var report = ReportRenderer.Render(Gate.Evaluate(Scenarios.Policy(), adapter, Scenarios.Candidate(Scenarios.Better), Scenarios.ProductionReport()), []);

        Assert.StartsWith(ReportMarker.For(adapter) + "\n", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_is_deterministic_and_holds_no_times_or_paths()
    {
        var candidate = Scenarios.Candidate(Scenarios.Better);
        var production = Scenarios.ProductionReport();
        var later = candidate with { CreatedAt = candidate.CreatedAt.AddDays(3) };

        var first = ReportRenderer.Render(Gate.Evaluate(Scenarios.Policy(), "support-intents", candidate, production), []);
        var second = ReportRenderer.Render(Gate.Evaluate(Scenarios.Policy(), "support-intents", later, production), []);

        Assert.Equal(first, second);
        Assert.DoesNotContain("2026", first, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), first, StringComparison.Ordinal);
        Assert.DoesNotContain("](", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_example_text_never_reaches_the_markdown_raw()
    {
        var report = ReportRenderer.Render(
            Gate.Evaluate(Scenarios.Policy(), "support-intents", Scenarios.Candidate(Scenarios.Better), baseline: null), []);

        Assert.DoesNotContain("<script", report, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", report, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("](http", report, StringComparison.Ordinal);
        Assert.DoesNotContain("@support", report, StringComparison.Ordinal);
        Assert.All(report.Split('\n').Where(line => line.StartsWith('|')), line => Assert.EndsWith("|", line, StringComparison.Ordinal));
    }
}
