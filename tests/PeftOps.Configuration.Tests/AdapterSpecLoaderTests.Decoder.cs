using PeftOps.Contracts;

namespace PeftOps.Configuration.Tests;

public sealed partial class AdapterSpecLoaderTests
{
    // the shape of the decoder example adapter: causal-lm on chat data, a generation suite and a multiple-choice suite
    private const string DecoderSpec = """
        name: x
        base_model: models/tiny-qwen2
        task: {type: causal-lm, max_length: 256}
        method: {type: lora, r: 8, alpha: 16, target_modules: all-linear}
        data: {train: data/train.jsonl, validation: data/validation.jsonl}
        evaluation:
          target:
            - {name: answers, kind: generation, data: eval/answers.jsonl, max_new_tokens: 64, stop: ["\n\n"]}
          non_target:
            - {name: general-knowledge, kind: multiple-choice, data: eval/mc.jsonl}
        gate:
          target: [{metric: answers.pass_rate, min: 0.8, min_delta: 0.0}, {metric: answers.rouge_l, min_delta: 0.0}]
          non_target: [{metric: general-knowledge.acc_norm, max_drop: 0.02}]
        """;

    private static AdapterFolder DecoderFolder() =>
        new("x", "data/train.jsonl", "data/validation.jsonl", "eval/answers.jsonl", "eval/mc.jsonl");

    [Fact]
    public void A_causal_lm_spec_with_generation_and_multiple_choice_suites_is_valid()
    {
        using var folder = DecoderFolder();

        var spec = folder.Parse(DecoderSpec);

        var answers = Assert.Single(spec.Evaluation.Target);
        Assert.Equal(SuiteKind.Generation, answers.Kind);
        Assert.Equal(64, answers.MaxNewTokens);
        Assert.Equal(["\n\n"], answers.Stop);
        var mc = Assert.Single(spec.Evaluation.NonTarget);
        Assert.Equal(SuiteKind.MultipleChoice, mc.Kind);
        Assert.Equal(128, mc.MaxNewTokens); // the default, unused by multiple-choice
        Assert.Equal(["answers.pass_rate", "answers.rouge_l"], spec.Gate.Target.Select(r => r.Metric));
    }

    [Theory]
    [InlineData("task: {type: causal-lm, max_length: 256}", "task: {type: sequence-classification}",
        "adapters/x/adapter.yaml:8: evaluation.target[0].kind generation needs a decoder: task.type causal-lm (was sequence-classification)\n"
        + "adapters/x/adapter.yaml:10: evaluation.non_target[0].kind multiple-choice needs a decoder: task.type causal-lm (was sequence-classification)")]
    [InlineData("{name: general-knowledge, kind: multiple-choice, data: eval/mc.jsonl}", "{name: general-knowledge, kind: multiple-choice, data: eval/mc.jsonl, max_new_tokens: 8}",
        "adapters/x/adapter.yaml:10: evaluation.non_target[0].max_new_tokens applies only to kind generation (was kind multiple-choice)")]
    [InlineData("max_new_tokens: 64", "max_new_tokens: 0",
        "adapters/x/adapter.yaml:8: evaluation.target[0].max_new_tokens must be >= 1 (was 0)")]
    [InlineData("{metric: general-knowledge.acc_norm, max_drop: 0.02}", "{metric: general-knowledge.rouge_l, max_drop: 0.02}",
        "adapters/x/adapter.yaml:13: gate.non_target[0].metric must be one of: general-knowledge.acc, general-knowledge.acc_norm (was general-knowledge.rouge_l)")]
    [InlineData("{metric: answers.rouge_l, min_delta: 0.0}", "{metric: answers.acc, min_delta: 0.0}",
        "adapters/x/adapter.yaml:12: gate.target[1].metric must be one of: answers.exact_match, answers.rouge_l, answers.chrf, answers.pass_rate, answers.contains_rate, answers.not_contains_rate, answers.regex_rate, answers.not_regex_rate, answers.json_rate, answers.json_schema_rate (was answers.acc)")]
    public void A_decoder_suite_that_does_not_fit_is_an_error(string from, string to, string expected)
    {
        using var folder = DecoderFolder();
        Assert.Contains(from, DecoderSpec, StringComparison.Ordinal);

        Assert.Equal(expected, folder.Errors(DecoderSpec.Replace(from, to, StringComparison.Ordinal)));
    }
}
