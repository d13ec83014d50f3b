using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Comparing;
using PeftOps.Evaluation.Reporting;

namespace PeftOps.Evaluation.Tests;

public sealed class ComparisonTests
{
    private static ComparedVariant Variant(string name, long parameters, long bytes, int exitCode = 0) => new()
    {
        Name = name, Set = [], Method = "lora r=8 alpha=16 on query, value", SpecSha256 = new string('a', 64),
        Verdict = exitCode switch { 0 => Verdict.Pass, 1 => Verdict.Fail, _ => Verdict.Inconclusive }, GateExitCode = exitCode,
        Headline = "h", TrainableParams = parameters, TotalParams = 10_000, AdapterBytes = bytes, TrainSeconds = 2.5, LatencyMs = null,
        Target = [new VariantMetric { Suite = "intents", Metric = "accuracy", Base = 0.2, Adapted = 0.9, Delta = 0.7, Rule = RuleKind.MinDelta, CiLow = 0.6, CiHigh = 0.8 }],
        NonTarget = [new VariantMetric { Suite = "general", Metric = "spearman", Base = 0.8, Adapted = 0.79, Delta = -0.01, Rule = null, CiLow = null, CiHigh = null }],
    };

    [Fact]
    public void The_lightest_passing_variant_has_the_fewest_trainable_parameters_then_the_fewest_bytes()
    {
        var report = Comparison.Report("x", "base", 0.95,
            [Variant("committed", 500, 2000), Variant("failing", 10, 10, exitCode: 1), Variant("big-file", 100, 900), Variant("small-file", 100, 800)], DateTimeOffset.UnixEpoch);

        Assert.Equal(("small-file", 0), (report.LightestPassing, report.ExitCode));
        var markdown = ComparisonRenderer.Render(report);
        Assert.Contains("| 🏆 | `small-file` |", markdown, StringComparison.Ordinal);
        Assert.Single(markdown.Split('\n'), l => l.Contains("🏆 |", StringComparison.Ordinal));
        Assert.Contains("| 0.900 (Δ +0.700 [+0.600, +0.800]) | -0.010 | 100 | 800 B | 2.5 s | – | ✅ pass |", markdown, StringComparison.Ordinal);
        Assert.Contains("x-axis [\"failing (10)\", \"small-file (100)\", \"big-file (100)\", \"committed (500)\"]", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(3, 3, 3)]
    public void Without_a_passing_variant_the_exit_code_is_a_failed_gates_else_neutral(int first, int second, int expected)
    {
        var report = Comparison.Report("x", "base", 0.95, [Variant("committed", 500, 2000, first), Variant("ia3", 50, 200, second)], DateTimeOffset.UnixEpoch);

        Assert.Equal((null, expected), (report.LightestPassing, report.ExitCode));
        Assert.Contains("**No variant passes the gate.**", ComparisonRenderer.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void The_method_summary_says_what_distinguishes_variants()
    {
        Assert.Equal("lora r=16 alpha=32 rslora on query, key layers 4, 5 bias all", Comparison.MethodSummary(new MethodSpec
        {
            R = 16, Alpha = 32, UseRsLora = true, TargetModules = ["query", "key"], LayersToTransform = [4, 5], Bias = BiasMode.All,
        }));
        Assert.Equal("ia3 on value bias lora_only", Comparison.MethodSummary(new MethodSpec { Type = MethodType.Ia3, TargetModules = ["value"], Bias = BiasMode.LoraOnly }));
    }
}
