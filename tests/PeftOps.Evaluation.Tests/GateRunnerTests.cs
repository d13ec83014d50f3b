using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Reporting;
using PeftOps.Evaluation.Tests.Support;
using PeftOps.TestSupport;

namespace PeftOps.Evaluation.Tests;

/// <summary>One class, so the test that sets GITHUB_STEP_SUMMARY never runs beside another GateRunner test.</summary>
public class GateRunnerTests
{

    private static (string Candidate, string Production) WriteEvals(TempDirectory temp, SyntheticModel model)
    {
        var candidate = temp.Combine("candidate.eval.json");
        var production = temp.Combine("production.eval.json");
        EvaluationReportJson.Write(candidate, Scenarios.Candidate(model, Scenarios.SpecChanges));
        EvaluationReportJson.Write(production, Scenarios.ProductionReport());
        return (candidate, production);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Writes_report_with_mermaid_charts_and_gate_json_into_the_output_folder()
    {
        using var temp = new TempDirectory();
        var (candidate, production) = WriteEvals(temp, Scenarios.Damaging);
        var outDir = temp.Combine("out", "gate");

        var result = GateRunner.Run(Scenarios.Policy(), SyntheticReports.Adapter, candidate, production, outDir, stepSummaryPath: null, CancellationToken.None);

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(["gate.json", "report.md"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.StartsWith("<!-- peftops:report adapter=support-intents -->\n### ❌ ", report, StringComparison.Ordinal);
        // charts travel inside the Markdown as Mermaid, which GitHub renders in comments, check runs and summaries
        Assert.DoesNotContain("![", report, StringComparison.Ordinal);
        Assert.Equal(3, report.Split("```mermaid\nxychart-beta\n").Length - 1);
        Assert.Contains("    line [", report, StringComparison.Ordinal);
        Assert.Contains("    bar [", report, StringComparison.Ordinal);
        var gate = GateResultJson.Read(Path.Combine(outDir, "gate.json"));
        Assert.Equal(GateResultJson.Serialize(result), GateResultJson.Serialize(gate));
        Assert.Equal(Sha256(candidate), gate.Inputs!.CandidateEvalSha256);
        Assert.Equal(Sha256(production), gate.Inputs.BaselineEvalSha256);
        Assert.Equal(["out"], Directory.GetDirectories(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_bad_eval_json_names_the_file_and_writes_nothing()
    {
        using var temp = new TempDirectory();
        var (candidate, _) = WriteEvals(temp, Scenarios.Better);
        File.WriteAllText(candidate, File.ReadAllText(candidate).Replace("\"rows\": 1200", "\"rows\": \"many\"", StringComparison.Ordinal));
        var outDir = temp.Combine("out");

        var error = Assert.Throws<InputException>(() =>
            GateRunner.Run(Scenarios.Policy(), SyntheticReports.Adapter, candidate, null, outDir, stepSummaryPath: null, CancellationToken.None));

        Assert.StartsWith($"{candidate}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.data[0].rows", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(temp.Path));
    }

    [Fact]
    public void A_rule_on_a_missing_suite_is_an_input_error_naming_the_candidate()
    {
        using var temp = new TempDirectory();
        var (candidate, production) = WriteEvals(temp, Scenarios.Better);
        var policy = Scenarios.Policy() with { NonTarget = [new GateRule { Metric = "toxicity.accuracy", MaxDrop = 0.01 }] };

        var error = Assert.Throws<InputException>(() =>
            GateRunner.Run(policy, SyntheticReports.Adapter, candidate, production, temp.Combine("out"), null, CancellationToken.None));

        Assert.Equal($"{candidate}: gate rule metric 'toxicity.accuracy': the evaluation has no suite 'toxicity' "
            + "(it has: intents, general-similarity, off-topic)", error.Message);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void An_eval_json_of_another_adapter_is_refused()
    {
        using var temp = new TempDirectory();
        var (candidate, _) = WriteEvals(temp, Scenarios.Better);

        var error = Assert.Throws<InputException>(() =>
            GateRunner.Run(Scenarios.Policy(), "returns-intents", candidate, null, temp.Combine("out"), null, CancellationToken.None));

        Assert.Equal($"{candidate}: adapter is 'support-intents', expected 'returns-intents'", error.Message);
    }

    [Fact]
    public void A_rerun_replaces_the_files_and_removes_a_chart_it_no_longer_draws()
    {
        using var temp = new TempDirectory();
        var (candidate, production) = WriteEvals(temp, Scenarios.Better);
        var outDir = temp.Combine("out");
        GateRunner.Run(Scenarios.Policy(), SyntheticReports.Adapter, candidate, production, outDir, null, CancellationToken.None);
        var untrained = Scenarios.Candidate(Scenarios.Similar) with { Training = null };
        EvaluationReportJson.Write(candidate, untrained);

        var result = GateRunner.Run(Scenarios.Policy(OnInconclusive.Neutral), SyntheticReports.Adapter, candidate, production, outDir, null, CancellationToken.None);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.False(File.Exists(Path.Combine(outDir, "training-curve.png")));
        Assert.Contains("No training record in the evaluation.", File.ReadAllText(Path.Combine(outDir, "report.md")), StringComparison.Ordinal);
        Assert.Equal(GateResultJson.Serialize(result), File.ReadAllText(Path.Combine(outDir, "gate.json")));
    }

    [Fact]
    public void Appends_the_report_to_the_github_step_summary()
    {
        using var temp = new TempDirectory();
        var (candidate, production) = WriteEvals(temp, Scenarios.Better);
        var summary = temp.Combine("summary.md");
        File.WriteAllText(summary, "# earlier step\n");

        var before = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", summary);
        try
        {
            GateRunner.Run(Scenarios.Policy(), SyntheticReports.Adapter, candidate, production, temp.Combine("out"), CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", before);
        }

        var text = File.ReadAllText(summary);
        Assert.StartsWith("# earlier step\n<!-- peftops:report adapter=support-intents -->", text, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(temp.Combine("out", "report.md")) + "\n", text["# earlier step\n".Length..]);
    }

    [Fact]
    public void A_cancelled_run_writes_nothing()
    {
        using var temp = new TempDirectory();
        var (candidate, production) = WriteEvals(temp, Scenarios.Better);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            GateRunner.Run(Scenarios.Policy(), SyntheticReports.Adapter, candidate, production, temp.Combine("out"), null, cancelled.Token));

        Assert.Empty(Directory.GetDirectories(temp.Path));
    }
}
