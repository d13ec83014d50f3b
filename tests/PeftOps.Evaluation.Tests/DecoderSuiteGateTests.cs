using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Metrics;
using PeftOps.Evaluation.Reporting;
using PeftOps.Evaluation.Tests.Support;
using Snapshooter.Xunit;

namespace PeftOps.Evaluation.Tests;

/// <summary>
/// Generation and multiple-choice suites through eval.json, the gate and the report: McNemar's test on pass/fail and acc,
/// the bootstrap on ROUGE-L and chrF, Holm across non-target rules, flipped answers side by side, nasty text kept inert.
/// </summary>
public sealed class DecoderSuiteGateTests
{
    private static GatePolicy Policy() => new()
    {
        BootstrapResamples = 1000,
        Target =
        [
            new GateRule { Metric = "policy-answers.pass_rate", Min = 0.8, MinDelta = 0.0 },
            new GateRule { Metric = "policy-answers.chrf", MinDelta = 0.0 },
        ],
        NonTarget =
        [
            new GateRule { Metric = "policy-answers.not_contains_rate", MaxDrop = 0.0 },
            new GateRule { Metric = "general-knowledge.acc", MaxDrop = 0.02 },
        ],
    };

    [Fact]
    public void Suite_metrics_are_means_of_the_per_example_scores()
    {
        var report = DecoderReports.Build();
        var generation = report.Suites[0];

        // 40 rows: 10 with a reference, 10 each of not_contains, regex and json_schema
        Assert.Equal(MetricNames.For(SuiteKind.Generation).Except(["contains_rate", "not_regex_rate"]).Order(),
            generation.Adapted.Metrics.Keys.Except(["contains_rate"]).Order());
        // the candidate fails row 36 ("5 days" lacks "5 business days") and rows 1 and 5 (the invented warranty)
        Assert.Equal(37.0 / 40, generation.Adapted.Metrics[MetricNames.PassRate], 12);
        Assert.Equal(0.8, generation.Adapted.Metrics["not_contains_rate"], 12);
        Assert.Equal(0.9, generation.Adapted.Metrics[MetricNames.ExactMatch], 12); // over the 10 rows with a reference
        Assert.Equal(0, generation.Base.Metrics[MetricNames.ExactMatch]);
        Assert.Equal(0.5, generation.Base.Metrics["regex_rate"], 12);
        var mc = report.Suites[1];
        Assert.Equal(24.0 / 30, mc.Base.Metrics[MetricNames.Acc], 12);
        Assert.Equal(22.0 / 30, mc.Adapted.Metrics[MetricNames.Acc], 12);
    }

    [Fact]
    public void The_gate_tests_pass_fail_and_acc_with_mcnemar_and_text_scores_with_the_bootstrap()
    {
        var result = Gate.Evaluate(Policy(), DecoderReports.Adapter, DecoderReports.Build(), baseline: null);

        var pass = result.Rules.First(r => r.Metric == "policy-answers.pass_rate");
        Assert.Equal(PTest.Mcnemar, pass.PTest);
        Assert.Equal(Verdict.Pass, result.Rules.First(r => r.Metric == "policy-answers.pass_rate" && r.Kind == RuleKind.MinDelta).Verdict);
        Assert.Equal(PTest.Bootstrap, result.Rules.First(r => r.Metric == "policy-answers.chrf").PTest);
        // the invented warranty: 2 of 10 rows break, a drop of 0.2 the rule allows none of; McNemar's exact p for 2 discordant
        // pairs is 0.5, so after Holm it is not significant and the rule is inconclusive rather than failed
        var warranty = result.Rules.Single(r => r.Metric == "policy-answers.not_contains_rate");
        Assert.Equal(40, warranty.Paired);
        Assert.Equal(-0.2, warranty.Delta, 12);
        Assert.Equal(Verdict.Inconclusive, warranty.Verdict);
        Assert.NotNull(warranty.PAdjusted);
        Assert.Equal(PTest.Mcnemar, result.Rules.Single(r => r.Metric == "general-knowledge.acc").PTest);

        // every metric of both suites, ruled on or not
        Assert.Contains(result.SuiteMetrics, m => m is { Suite: "general-knowledge", Metric: "acc_norm", PTest: PTest.Mcnemar });
        Assert.Contains(result.SuiteMetrics, m => m is { Suite: "policy-answers", Metric: "rouge_l", PTest: PTest.Bootstrap });
        Assert.DoesNotContain(result.SuiteMetrics, m => m.Metric == "not_regex_rate"); // no row has not_regex
        var flips = result.Flips.Single(f => f.Suite == "policy-answers");
        Assert.Equal(SuiteKind.Generation, flips.Kind);
        // fixed: 9 reference rows (0-32) now contain "5 business days", 5 regex rows (2-18) and 6 JSON rows (3-23)
        Assert.Equal(9 + 5 + 6, flips.Fixed);
        Assert.Equal(2, flips.Broken); // the warranty rows; row 36 fails under both
        Assert.Contains(flips.BrokenExamples, e => e.Candidate.Contains("lifetime warranty", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_on_a_requirement_no_row_has_is_bad_input()
    {
        var policy = Policy() with { Target = [new GateRule { Metric = "policy-answers.not_regex_rate", MinDelta = 0 }] };

        var error = Assert.Throws<InputException>(() => Gate.Evaluate(policy, DecoderReports.Adapter, DecoderReports.Build(), baseline: null));

        Assert.Equal("gate rule metric 'policy-answers.not_regex_rate': no example of suite 'policy-answers' has the not_regex it measures, so it has no value", error.Message);
    }

    [Fact]
    public void Eval_json_keeps_answers_choices_and_scores()
    {
        var report = DecoderReports.Build();

        var read = EvaluationReportJson.Parse(EvaluationReportJson.Serialize(report), "eval.json");

        Assert.Equal(EvaluationReportJson.Serialize(report), EvaluationReportJson.Serialize(read));
        var example = read.Suites[0].Examples[16];
        Assert.Equal(DecoderReports.Nasty, example.Base.Answer);
        Assert.Equal(read.Suites[1].Examples[0].Choices, ["Paris", "Lyon", "Marseille"]);
        Assert.Equal(3, read.Suites[1].Examples[0].Adapted.Loglikelihoods!.Count);
    }

    [Theory]
    [InlineData(0, "base", "answer", "examples[0] (id 'gen-000') has no base.answer, base.correct and base.scores, which generation examples need")]
    [InlineData(1, null, "choices", "examples[0] (id 'mc-000') has no choices, which multiple-choice examples need")]
    [InlineData(1, "base", "loglikelihoods", "examples[0] (id 'mc-000') has no base.loglikelihoods (one per choice), which multiple-choice examples need")]
    [InlineData(1, "adapted", "scores", "examples[0] (id 'mc-000') has no adapted.scores acc and acc_norm, which multiple-choice examples need")]
    public void Eval_json_without_what_a_kind_needs_is_refused(int suite, string? outcome, string key, string expected)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(EvaluationReportJson.Serialize(DecoderReports.Build()))!;
        var example = node["suites"]![suite]!["examples"]![0]!.AsObject();
        (outcome is null ? example : example[outcome]!.AsObject()).Remove(key);

        var error = Assert.Throws<InputException>(() => EvaluationReportJson.Parse(node.ToJsonString(), "eval.json"));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
