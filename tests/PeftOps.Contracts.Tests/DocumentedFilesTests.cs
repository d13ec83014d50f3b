using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Comparing;
using PeftOps.Evaluation.Gating;
using PeftOps.TestSupport;

namespace PeftOps.Contracts.Tests;

/// <summary>Each file the pipeline writes, read and written by its record, against the document in docs/ that describes it.</summary>
public partial class DocumentedFilesTests
{
    [Fact]
    public void train_json_reads_and_writes_its_documented_example_byte_for_byte()
    {
        var example = JsonExample("train-json.md");

        var run = TrainRunJson.Parse(example, "docs/train-json.md");

        Assert.Equal(example, TrainRunJson.Serialize(run));
        Assert.Equal(151301, run.Summary.TrainableParams);
        Assert.Equal(0.61, run.Curve[1].ValidationMetric);
    }

    [Fact]
    public void train_json_keys_are_the_documented_ones_in_order()
    {
        var documented = TableKeys("train-json.md", "## Keys").Where(k => k.StartsWith("summary.", StringComparison.Ordinal)).Select(k => k["summary.".Length..]);
        var written = JsonNode.Parse(JsonExample("train-json.md"))!["summary"]!.AsObject().Select(p => p.Key);

        Assert.Equal(documented, written);
    }

    [Fact]
    public void eval_json_reads_and_writes_its_documented_example()
    {
        var example = JsonExample("eval-json.md");

        var report = EvaluationReportJson.Parse(example, "docs/eval-json.md");

        Assert.Equal(Compact(example), Compact(EvaluationReportJson.Serialize(report)));
        Assert.Equal(612432, report.Training!.AdapterBytes);
        Assert.Equal(0.61, report.Suites[2].Threshold!.Adapted);
    }

    [Fact]
    public void eval_json_training_is_train_json_cost_and_curve()
    {
        var run = TrainRunJson.Parse(JsonExample("train-json.md"), "docs/train-json.md");
        var documented = EvaluationReportJson.Parse(JsonExample("eval-json.md"), "docs/eval-json.md").Training!;

        var training = new TrainingSummary(run.Summary, run.Curve);

        Assert.Equal(
            Compact(JsonNode.Parse(JsonExample("eval-json.md"))!["training"]!.ToJsonString()),
            Compact(JsonNode.Parse(EvaluationReportJson.Serialize(Report(training)))!["training"]!.ToJsonString()));
        Assert.Equal(documented.Curve, training.Curve);
    }

    [Fact]
    public void gate_json_keys_are_the_documented_ones_in_order_and_read_back()
    {
        var report = EvaluationReportJson.Parse(JsonExample("eval-json.md"), "docs/eval-json.md");
        var policy = new GatePolicy
        {
            Target = [new GateRule { Metric = "intents.accuracy", Min = 0.4 }],
            NonTarget = [new GateRule { Metric = "general-similarity.spearman", MaxDrop = 0.02 }],
        };
        var result = Gate.Evaluate(policy, report.Adapter, report, baseline: null) with { Inputs = new GateInputs(new string('a', 64), null) };

        var json = GateResultJson.Serialize(result);
        var written = JsonNode.Parse(json)!.AsObject();

        Assert.Equal(TableKeys("gate-json.md", "## gate.json"), written.Select(p => p.Key));
        Assert.Equal(BracedKeys("gate-json.md", "| `cost` |"), written["cost"]!.AsObject().Select(p => p.Key));
        Assert.Equal(TableKeys("gate-json.md", "A rule result:"), written["rules"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(151301 / 22864517.0, written["cost"]!["trainable_share"]!.GetValue<double>());
        Assert.Equal(json, GateResultJson.Serialize(GateResultJson.Parse(json, "gate.json")));
    }

    [Fact]
    public void manifest_json_reads_and_writes_its_documented_example_with_the_documented_keys_in_order()
    {
        var example = JsonExample("manifest-json.md");

        var manifest = ManifestJson.Parse(System.Text.Encoding.UTF8.GetBytes(example), "docs/manifest-json.md");
        var written = System.Text.Encoding.UTF8.GetString(ManifestJson.SerializeToUtf8Bytes(manifest));

        Assert.Equal(Compact(example), Compact(written));
        Assert.Equal(TableKeys("manifest-json.md", "| field |").Select(k => k.Split('.')[0]).Distinct(), JsonNode.Parse(written)!.AsObject().Select(p => p.Key));
        Assert.Equal(new ManifestFile("3995…", 1184920), manifest.Files["adapter_model.safetensors"]);
        Assert.Equal(new GateRecord("pass", Forced: false), manifest.Gate);
        Assert.Equal(ReleaseOrigin.ReviewedKind, manifest.Origin!.Kind);
        Assert.Equal(1200, Assert.Single(manifest.Data).Rows);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), manifest.CreatedAt);
    }

    [Fact]
    public void lineage_record_reads_and_writes_its_documented_example_on_one_line()
    {
        var example = JsonExample("manifest-json.md", "## The lineage record");

        var lineage = LineageRecordJson.TryParse(example)!;
        var message = LineageRecordJson.Serialize(lineage);

        Assert.Equal(Compact(example), Compact(message));
        Assert.DoesNotContain('\n', message);
        Assert.Equal(TableKeys("manifest-json.md", "## The lineage record"), JsonNode.Parse(message)!.AsObject().Select(p => p.Key));
        Assert.Equal("v1.2.0", lineage.ParentVersion);
        Assert.Equal(ReleaseOrigin.RetrainedKind, lineage.Origin!.Kind);
        Assert.Null(LineageRecordJson.TryParse("""{"schema": "peftops.event/v1", "action": "promote"}"""));
    }

    [Fact]
    public void a_manifest_rebuilt_from_its_lineage_record_has_the_same_bytes()
    {
        var manifest = ManifestJson.Parse(System.Text.Encoding.UTF8.GetBytes(JsonExample("manifest-json.md")), "docs/manifest-json.md");
        var bytes = ManifestJson.SerializeToUtf8Bytes(manifest);

        var lineage = LineageRecordJson.TryParse(LineageRecordJson.Serialize(LineageRecord.From(manifest, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)))))!;

        Assert.Equal(bytes, ManifestJson.SerializeToUtf8Bytes(lineage.RebuildManifest(manifest.Files)!));
    }

    [Theory]
    [InlineData("{\"schema\": \"peftops.manifest/v1\", \"adapter\": \"a\"", "m.json:1: not a readable manifest (")]
    [InlineData("{\"schema\": \"peftops.manifest/v0\", \"adapter\": \"a\", \"version\": \"v1.0.0\", \"files\": {}}", "m.json: not a peftops.manifest/v1 manifest (expected schema, adapter, version and files)")]
    public void a_file_that_is_not_a_manifest_is_an_input_error_naming_it(string json, string expected)
    {
        var error = Assert.Throws<InputException>(() => ManifestJson.Parse(System.Text.Encoding.UTF8.GetBytes(json), "m.json"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void compare_json_reads_and_writes_its_documented_example_byte_for_byte()
    {
        var example = JsonExample("compare-json.md") + "\n";

        var report = ComparisonReportJson.Parse(example, "docs/compare-json.md");

        Assert.Equal(example, ComparisonReportJson.Serialize(report));
        Assert.Equal("ia3", report.LightestPassing);
        Assert.Equal(report.LightestPassing, Comparison.Lightest(report.Variants)!.Name);
        Assert.Equal(RuleKind.MaxDrop, report.Variants[0].NonTarget[0].Rule);
    }

    [Fact]
    public void compare_json_keys_are_the_documented_ones_in_order()
    {
        var written = JsonNode.Parse(JsonExample("compare-json.md"))!.AsObject();

        Assert.Equal(TableKeys("compare-json.md", "## Keys"), written.Select(p => p.Key));
        Assert.Equal(TableKeys("compare-json.md", "A variant:"), written["variants"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(BracedKeys("compare-json.md", "| `target` |"), written["variants"]![0]!["target"]![0]!.AsObject().Select(p => p.Key));
    }

    private static EvaluationReport Report(TrainingSummary training) =>
        EvaluationReportJson.Parse(JsonExample("eval-json.md"), "docs/eval-json.md") with { Training = training };

    /// <summary>The first ```json block of docs/<paramref name="doc"/> (after <paramref name="heading"/> when given).</summary>
    private static string JsonExample(string doc, string? heading = null)
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", doc)).ReplaceLineEndings("\n");
        var from = heading is null ? 0 : text.IndexOf(heading, StringComparison.Ordinal);
        var start = text.IndexOf("```json\n", from, StringComparison.Ordinal) + "```json\n".Length;
        return text[start..text.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    /// <summary>The keys in the first column of the first table after <paramref name="heading"/>, in order.</summary>
    private static IEnumerable<string> TableKeys(string doc, string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", doc));
        var rows = lines.SkipWhile(l => !l.StartsWith(heading, StringComparison.Ordinal))
            .SkipWhile(l => !l.StartsWith('|')).Skip(2).TakeWhile(l => l.StartsWith('|'));
        return rows.SelectMany(row => Backticked().Matches(row.Split('|')[1]).Select(m => m.Groups[1].Value));
    }

    /// <summary>The keys listed as <c>{a, b (note), c}</c> in the table row starting <paramref name="row"/>.</summary>
    private static IEnumerable<string> BracedKeys(string doc, string row)
    {
        var line = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", doc)).First(l => l.StartsWith(row, StringComparison.Ordinal));
        var braced = line[(line.IndexOf('{', StringComparison.Ordinal) + 1)..line.IndexOf('}', StringComparison.Ordinal)];
        return braced.Split(',').Select(k => k.Trim().Split(' ')[0].Split(':')[0]);
    }

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    [GeneratedRegex("`([a-z_0-9.]+)`")]
    private static partial Regex Backticked();
}
