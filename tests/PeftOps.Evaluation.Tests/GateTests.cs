using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Statistics;
using PeftOps.Evaluation.Tests.Support;
using static PeftOps.Evaluation.Tests.Support.TinyReports;

namespace PeftOps.Evaluation.Tests;

public class GateTests
{
    // 20 examples, two classes; the base model always says "a" (accuracy 0.5)
    private static readonly string[] Gold = [.. Repeat("a", 10), .. Repeat("b", 10)];
    private static readonly string[] AllA = Repeat("a", 20);

    private static GatePolicy Policy(GateRule[]? target = null, GateRule[]? nonTarget = null, OnInconclusive on = OnInconclusive.Fail) =>
        new() { Target = target ?? [], NonTarget = nonTarget ?? [], OnInconclusive = on, BootstrapResamples = 1000, Seed = 5 };

    private static RuleResult Single(GateResult result) => Assert.Single(result.Rules);

    [Fact]
    public void Min_passes_fails_or_is_inconclusive_by_where_the_interval_lies()
    {
        var perfect = Report(null, Classification("intents", Gold, AllA, Gold));
        var half = Report(null, Classification("intents", Gold, AllA, AllA));

        var pass = Single(Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", Min = 0.9 }]), "tiny", perfect, null));
        var fail = Single(Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", Min = 0.9 }]), "tiny", half, null));
        var straddle = Single(Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", Min = 0.5 }]), "tiny", half, null));

        Assert.Equal((Verdict.Pass, 1.0, 1.0, 1.0), (pass.Verdict, pass.Candidate, pass.CiLow, pass.CiHigh));
        Assert.Equal("candidate 1.000 [1.000, 1.000] is at least min 0.9", pass.Reason);
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.EndsWith("is below min 0.9", fail.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Inconclusive, straddle.Verdict);
        Assert.True(straddle.CiLow < 0.5 && straddle.CiHigh > 0.5);
    }

    [Fact]
    public void Min_delta_compares_the_interval_of_the_difference()
    {
        var same = Report(null, Classification("intents", Gold, AllA, AllA));

        var zero = Single(Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", MinDelta = 0.0 }]), "tiny", same, null));
        var some = Single(Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", MinDelta = 0.01 }]), "tiny", same, null));

        Assert.Equal(Verdict.Pass, zero.Verdict);
        Assert.Equal(1.0, zero.PValue);
        Assert.Equal(PTest.Mcnemar, zero.PTest);
        Assert.Equal(Verdict.Fail, some.Verdict);
        Assert.Equal("delta 0.000 [0.000, 0.000] is below min_delta 0.01", some.Reason);
    }

    [Fact]
    public void Max_drop_fails_a_clear_drop_with_mcnemar_and_holm_p_values()
    {
        // off-topic: base rejects 40 of 40, adapted 32: b = 8, c = 0, exact p = 2 / 2^8; similarity unchanged (p = 1)
        double[] gold = [0, 1, 2, 3, 4, 5];
        var report = Report(null, OutOfScope("off-topic", 40, 40, 32), Similarity("sim", gold, gold, gold));
        var policy = Policy(nonTarget: [new() { Metric = "off-topic.rejection_rate", MaxDrop = 0.05 }, new() { Metric = "sim.spearman", MaxDrop = 0.02 }]);

        var result = Gate.Evaluate(policy, "tiny", report, null);

        var oos = result.Rules[0];
        Assert.Equal(Verdict.Fail, oos.Verdict);
        Assert.Equal(0.0078125, oos.PValue, precision: 12);
        Assert.Equal(2 * 0.0078125, oos.PAdjusted!.Value, precision: 12);
        Assert.StartsWith("drop 0.200 [", oos.Reason, StringComparison.Ordinal);
        Assert.EndsWith("exceeds max_drop 0.05", oos.Reason, StringComparison.Ordinal);
        Assert.Equal((Verdict.Pass, 1.0, 1.0), (result.Rules[1].Verdict, result.Rules[1].PValue, result.Rules[1].PAdjusted));
        Assert.Equal((Verdict.Fail, Conclusion.Failure, 1), (result.Verdict, result.Conclusion, result.ExitCode));
    }

    [Fact]
    public void A_non_target_fail_that_is_not_significant_after_holm_is_inconclusive()
    {
        // b = 5, c = 0: exact p = 2 / 32 = 0.0625, while the bootstrap interval of the drop lies above 0
        var report = Report(null, OutOfScope("off-topic", 40, 40, 35));

        var rule = Single(Gate.Evaluate(Policy(nonTarget: [new() { Metric = "off-topic.rejection_rate", MaxDrop = 0.0 }]), "tiny", report, null));

        Assert.True(rule.CiHigh < 0, $"delta interval [{rule.CiLow}, {rule.CiHigh}]");
        Assert.Equal(0.0625, rule.PAdjusted);
        Assert.Equal(Verdict.Inconclusive, rule.Verdict);
        Assert.True(rule.Reason.EndsWith("exceeds max_drop 0.0, but the change is not significant after Holm correction (p_adj 0.063 >= 0.05)", StringComparison.Ordinal), rule.Reason);
    }

    [Theory]
    [InlineData(OnInconclusive.Fail, Verdict.Fail, Conclusion.Failure, 1)]
    [InlineData(OnInconclusive.Pass, Verdict.Pass, Conclusion.Success, 0)]
    [InlineData(OnInconclusive.Neutral, Verdict.Inconclusive, Conclusion.Neutral, 3)]
    public void Inconclusive_rules_decide_by_on_inconclusive(OnInconclusive on, Verdict verdict, Conclusion conclusion, int exitCode)
    {
        var half = Report(null, Classification("intents", Gold, AllA, AllA));

        var result = Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", Min = 0.5 }], on: on), "tiny", half, null);

        Assert.Equal((verdict, conclusion, exitCode), (result.Verdict, result.Conclusion, result.ExitCode));
        Assert.Contains("0 passed, 0 failed, 1 inconclusive against base model (nothing in production)", result.Headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_is_paired_on_common_example_ids()
    {
        // production: e0..e19 all "a" (0.5 right); candidate: e10..e29, e10..e19 gold b predicted b, e20..e29 new
        var production = Report(null, Classification("intents", Gold, AllA, AllA));
        string[] candidateGold = [.. Repeat("b", 10), .. Repeat("a", 10)];
        var candidate = Report(null, Classification("intents", candidateGold, Repeat("a", 20), candidateGold, firstId: 10));

        var result = Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", MinDelta = 0.0 }]), "tiny", candidate, production);

        var pairing = Assert.Single(result.Baseline.Suites);
        Assert.Equal(new SuitePairing("intents", BaselineKind.Production, 10, 20, 20, SameData: true), pairing);
        var rule = Single(result);
        Assert.Equal((0.0, 1.0, 10), (rule.Baseline, rule.Candidate, rule.Paired));
        Assert.Equal(McNemar.ExactPValue(0, 10), rule.PValue);
        Assert.Equal("production", result.Baseline.Description);
        var flips = Assert.Single(result.Flips);
        Assert.Equal((10, 0, 10), (flips.Fixed, flips.Broken, flips.FixedExamples.Count));
    }

    [Fact]
    public void Compare_to_base_uses_the_base_model_but_still_diffs_the_spec_against_production()
    {
        var production = Report(new Dictionary<string, string> { ["method.r"] = "8", ["seed"] = "1" }, Classification("intents", Gold, AllA, AllA));
        var candidate = Report(new Dictionary<string, string> { ["method.r"] = "16", ["dropout"] = "0.1" }, Classification("intents", Gold, AllA, Gold));

        var result = Gate.Evaluate(Policy([new() { Metric = "intents.accuracy", MinDelta = 0.0 }]) with { CompareTo = CompareTo.Base }, "tiny", candidate, production);

        Assert.Equal("base model (compare_to: base)", result.Baseline.Description);
        Assert.Equal(0.5, Single(result).Baseline);
        Assert.False(result.SpecChanges.FirstVersion);
        Assert.Equal([new SpecChange("dropout", null, "0.1"), new SpecChange("method.r", "8", "16"), new SpecChange("seed", "1", null)], result.SpecChanges.Changes);
    }

    [Fact]
    public void Perplexity_is_lower_is_better()
    {
        // adapted nll up by 0.2 nats per token on every example: perplexity rises by the factor e^0.2
        double[] baseNll = [10, 12, 9, 11, 10, 10, 8, 10];
        var report = Report(null, Perplexity("wiki", baseNll, [.. baseNll.Select(x => x + 2)], tokens: 10));

        var rule = Single(Gate.Evaluate(Policy(nonTarget: [new() { Metric = "wiki.perplexity", MaxDrop = 0.5 }]), "tiny", report, null));

        Assert.False(rule.HigherIsBetter);
        Assert.Equal(Math.Exp(1.2) - Math.Exp(1.0), rule.Delta, precision: 9);
        Assert.StartsWith("rise 0.602 [", rule.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Fail, rule.Verdict);
        var error = Assert.Throws<InputException>(() => Gate.Evaluate(Policy(nonTarget: [new() { Metric = "wiki.perplexity", Min = 5 }]), "tiny", report, null));
        Assert.Equal("gate rule 'wiki.perplexity': min does not apply to perplexity, where lower is better; use max_drop", error.Message);
    }

    [Theory]
    [InlineData("nosuch.accuracy", "gate rule metric 'nosuch.accuracy': the evaluation has no suite 'nosuch' (it has: intents)")]
    [InlineData("intents.spearman", "gate rule metric 'intents.spearman': a classification suite has no metric 'spearman' (it has: accuracy, macro_f1)")]
    [InlineData("accuracy", "gate rule metric 'accuracy' is not of the form suite.metric")]
    public void Rules_on_unknown_metrics_are_input_errors(string metric, string message)
    {
        var report = Report(null, Classification("intents", Gold, AllA, Gold));
        var error = Assert.Throws<InputException>(() => Gate.Evaluate(Policy([new() { Metric = metric, Min = 0.5 }]), "tiny", report, null));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Flips_are_counted_in_full_and_listed_up_to_ten_each_way()
    {
        var gold = Repeat("a", 30);
        string[] basePredicted = [.. Repeat("a", 12), .. Repeat("b", 18)];
        string[] adaptedPredicted = [.. Repeat("b", 12), .. Repeat("a", 18)];

        var flips = Assert.Single(Gate.Evaluate(Policy(), "tiny", Report(null, Classification("s", gold, basePredicted, adaptedPredicted)), null).Flips);

        Assert.Equal((18, 12), (flips.Fixed, flips.Broken));
        Assert.Equal(10, flips.FixedExamples.Count);
        Assert.Equal("e12", flips.FixedExamples[0].Id);
        Assert.Equal(("b", "a"), (flips.FixedExamples[0].Baseline, flips.FixedExamples[0].Candidate));
        Assert.Equal(10, flips.BrokenExamples.Count);
    }

    [Fact]
    public void The_gate_is_deterministic()
    {
        var candidate = Scenarios.Candidate(Scenarios.Better);
        var production = Scenarios.ProductionReport();

        var first = GateResultJson.Serialize(Gate.Evaluate(Scenarios.Policy(), "support-intents", candidate, production));
        var second = GateResultJson.Serialize(Gate.Evaluate(Scenarios.Policy(), "support-intents", candidate, production));

        Assert.Equal(first, second);
    }
}
