using System.Text.Json.Nodes;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;
using PeftOps.Evaluation.Tests.Support;
using PeftOps.TestSupport;

namespace PeftOps.Evaluation.Tests;

public class EvaluationReportJsonTests
{
    private static string DocumentedExample()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "eval-json.md"));
        var start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        return doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void The_documented_example_parses_and_its_metrics_agree_with_the_metric_functions()
    {
        var report = EvaluationReportJson.Parse(DocumentedExample(), "docs/eval-json.md");

        Assert.Equal("support-intents", report.Adapter);
        Assert.Equal(SuiteKind.EmbeddingSimilarity, report.Suites[1].Kind);
        Assert.Equal(SuiteRole.NonTarget, report.Suites[1].Role);
        Assert.Equal(0.61, report.Training!.Curve[1].ValidationMetric);
        foreach (var suite in report.Suites)
        {
            foreach (var (metric, value) in suite.Adapted.Metrics)
                Assert.Equal(value, SuiteMetric.Compute(suite, metric, adapted: true), precision: 12);
            foreach (var (metric, value) in suite.Base.Metrics)
                Assert.Equal(value, SuiteMetric.Compute(suite, metric, adapted: false), precision: 12);
        }
    }

    [Fact]
    public void Writes_snake_case_names_and_reads_back_the_same_report()
    {
        using var temp = new TempDirectory();
        var report = Scenarios.Candidate(Scenarios.Better);
        var path = temp.Combine("eval.json");

        EvaluationReportJson.Write(path, report);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var back = EvaluationReportJson.Read(path);

        Assert.Equal("peftops.eval/v1", (string?)json["schema"]);
        Assert.Equal(report.AdapterSha256, (string?)json["adapter_sha256"]);
        Assert.Equal(report.Training!.ExamplesPerSecond, (double)json["training"]!["examples_per_second"]!);
        Assert.Equal(report.Training.Curve.Count, json["training"]!["curve"]!.AsArray().Count);
        Assert.Equal(report.Spec["method.target_modules"], (string?)json["spec"]!["method.target_modules"]);
        Assert.Equal("embedding-similarity", (string?)json["suites"]![1]!["kind"]);
        Assert.Equal("non_target", (string?)json["suites"]![1]!["role"]);
        Assert.Equal(report.Suites[1].Examples[0].Text2, (string?)json["suites"]![1]!["examples"]![0]!["text2"]);
        Assert.Equal(report.Suites[1].Examples[0].GoldScore, (double?)json["suites"]![1]!["examples"]![0]!["gold_score"]);
        var refund = report.Suites[0].Adapted.PerClass!["refund"];
        var refundJson = json["suites"]![0]!["adapted"]!["per_class"]!["refund"]!;
        Assert.Equal((refund.Precision, refund.Recall, refund.F1, refund.Support),
            ((double)refundJson["precision"]!, (double)refundJson["recall"]!, (double)refundJson["f1"]!, (int)refundJson["support"]!));
        Assert.Equal(report.Suites[0].Adapted.Metrics["accuracy"], (double)json["suites"]![0]!["adapted"]!["metrics"]!["accuracy"]!);
        Assert.Equal(EvaluationReportJson.Serialize(report), EvaluationReportJson.Serialize(back));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Theory]
    [InlineData("\"schema\": \"peftops.eval/v1\"", "\"schema\": \"peftops.eval/v2\"", "schema is 'peftops.eval/v2', expected 'peftops.eval/v1'")]
    [InlineData("\"kind\": \"out-of-scope\"", "\"kind\": \"off-topic\"", "not a valid eval.json")]
    [InlineData("\"id\": \"intents-001\"", "\"id\": \"intents-000\"", "suites[0] 'intents': examples[1].id 'intents-000' appears twice")]
    [InlineData("\"gold_score\": 0.2,", "", "suites[1] 'general-similarity': examples[1] (id 'pair-001') has no gold_score")]
    [InlineData("\"spec_sha256\"", "\"spec_sha\"", "not a valid eval.json")]
    [InlineData("\"labels\": [\"refund\", \"shipping\"],", "", "suites[0] 'intents': labels is missing")]
    public void Bad_files_name_the_file_and_the_problem(string find, string replace, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("candidate.eval.json");
        File.WriteAllText(path, DocumentedExample().Replace(find, replace, StringComparison.Ordinal));

        var error = Assert.Throws<InputException>(() => EvaluationReportJson.Read(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_json_at_all_gives_the_line()
    {
        var error = Assert.Throws<InputException>(() => EvaluationReportJson.Parse("{\n  \"schema\": oops\n}", "x.json"));
        Assert.StartsWith("x.json:2: not a valid eval.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_input_error()
    {
        var error = Assert.Throws<InputException>(() => EvaluationReportJson.Read("/nonexistent/eval.json"));
        Assert.StartsWith("/nonexistent/eval.json: cannot read eval.json", error.Message, StringComparison.Ordinal);
    }
}
