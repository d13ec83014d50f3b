namespace PeftOps.Configuration.Tests;

public sealed partial class AdapterSpecLoaderTests
{
    private const string WithSuites = """
        name: x
        data: {train: data/train.jsonl, validation: data/validation.jsonl}
        evaluation:
          target: [{name: intents, data: data/test.jsonl}]
          non_target: [{name: sts, kind: embedding-similarity, data: eval/sts.tsv}, {name: oos, kind: out-of-scope, data: eval/oos.jsonl}]
        """;

    private static AdapterFolder SuiteFolder() =>
        new("x", "data/train.jsonl", "data/validation.jsonl", "data/test.jsonl", "eval/sts.tsv", "eval/oos.jsonl");

    [Theory]
    [InlineData("gate: {target: [{metric: intents.spearman, min: 0.9}]}",
        "gate.target[0].metric must be one of: intents.accuracy, intents.macro_f1 (was intents.spearman)")]
    [InlineData("gate: {target: [{metric: sts.spearman, min: 0.9}]}",
        "gate.target[0].metric must be one of: intents.accuracy, intents.macro_f1 (was sts.spearman)")]
    [InlineData("gate: {non_target: [{metric: oos.accuracy, max_drop: 0.1}]}",
        "gate.non_target[0].metric must be one of: sts.spearman, oos.rejection_rate, oos.oos_recall, oos.oos_precision, oos.auroc, oos.fpr_at_95, oos.in_scope_accuracy (was oos.accuracy)")]
    [InlineData("gate: {target: [{metric: accuracy, min: 0.9}]}",
        "gate.target[0].metric must be suite.metric with metric one of accuracy, macro_f1, spearman, rejection_rate, oos_recall, oos_precision, auroc, fpr_at_95, in_scope_accuracy, perplexity, acc, acc_norm, exact_match, rouge_l, chrf, pass_rate, contains_rate, not_contains_rate, regex_rate, not_regex_rate, json_rate, json_schema_rate (was accuracy)")]
    [InlineData("gate: {target: [{metric: intents.accuracy}]}",
        "gate.target[0] needs min or min_delta (was neither)")]
    [InlineData("gate: {target: [{metric: intents.accuracy, min: 0.9, max_drop: 0.1}]}",
        "unknown key 'gate.target[0].max_drop' (expected one of: metric, min, min_delta)")]
    [InlineData("gate: {non_target: [{metric: sts.spearman, max_drop: 0.1, min: 0.5}]}",
        "unknown key 'gate.non_target[0].min' (expected one of: metric, max_drop)")]
    [InlineData("gate: {non_target: [{metric: sts.spearman}]}",
        "gate.non_target[0].max_drop is required")]
    [InlineData("gate: {non_target: [{metric: sts.spearman, max_drop: -0.1}]}",
        "gate.non_target[0].max_drop must be >= 0 (was -0.1)")]
    [InlineData("gate: {target: [{metric: intents.accuracy, min: 0.9}, {metric: intents.accuracy, min_delta: 0}]}",
        "gate.target[1].metric must not repeat an earlier rule's metric (was intents.accuracy)")]
    public void A_bad_gate_rule_is_an_error(string line, string expected)
    {
        using var folder = SuiteFolder();

        Assert.Equal($"adapters/x/adapter.yaml:6: {expected}", folder.Errors(WithSuites + "\n" + line));
    }

    [Fact]
    public void Suite_names_must_be_unique_across_target_and_non_target()
    {
        using var folder = SuiteFolder();

        var message = folder.Errors(WithSuites.Replace("name: sts", "name: intents", StringComparison.Ordinal));

        Assert.Equal("adapters/x/adapter.yaml:5: evaluation.non_target[0].name must be unique among the suites (was intents)", message);
    }

    [Fact]
    public void Out_of_scope_settings_apply_only_to_out_of_scope_suites()
    {
        using var folder = SuiteFolder();

        var message = folder.Errors(WithSuites.Replace("kind: embedding-similarity,", "kind: embedding-similarity, threshold: 0.5,", StringComparison.Ordinal));

        Assert.Equal("adapters/x/adapter.yaml:5: evaluation.non_target[0].threshold applies only to kind out-of-scope (was kind embedding-similarity)", message);
    }

    [Fact]
    public void Calibration_and_early_stopping_need_validation_data()
    {
        using var folder = SuiteFolder();
        var yaml = WithSuites.Replace(", validation: data/validation.jsonl", "", StringComparison.Ordinal) + "\ntraining:\n  early_stopping: {patience: 3}";

        Assert.Equal(
            "adapters/x/adapter.yaml:5: evaluation.non_target[1] (out-of-scope) needs data.validation to calibrate its threshold, or a threshold (was neither)\n" +
            "adapters/x/adapter.yaml:7: training.early_stopping needs data.validation (was not set)",
            folder.Errors(yaml));
        Assert.Equal(
            "adapters/x/adapter.yaml:6: training.early_stopping.metric must be one of: accuracy, macro_f1, loss (was f1)",
            folder.Errors(WithSuites + "\ntraining: {early_stopping: {metric: f1}}"));
        Assert.Equal(0.2, folder.Parse(yaml.Replace("kind: out-of-scope,", "kind: out-of-scope, threshold: 0.2,", StringComparison.Ordinal)
            .Replace("early_stopping: {patience: 3}", "early_stopping: null", StringComparison.Ordinal)).Evaluation.NonTarget[1].Threshold);
    }
}
