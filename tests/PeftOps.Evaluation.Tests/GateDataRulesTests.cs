using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Reporting;
using PeftOps.Evaluation.Tests.Support;
using PeftOps.TestSupport;

namespace PeftOps.Evaluation.Tests;

/// <summary>data_checks rules read from a data.json: they count in the verdict, exit code and headline, and open the report's data section.</summary>
public sealed class GateDataRulesTests
{
    private static DataReport Data(params DataCheckSummary[] checks) => new()
    {
        Adapter = SyntheticReports.Adapter,
        Task = "sequence-classification",
        BaseModel = "builtin:all-MiniLM-L6-v2",
        Settings = new DataCheckSettings(0.95, 5, 5, 17, "prune_by_noise_rate"),
        Splits = [],
        Checks = checks,
    };

    // the Better candidate against the base model passes once its inconclusive metric rules count as passes
    private static (GateResult Result, string Report) Gate(DataReport data, DataChecksSpec rules, OnInconclusive onInconclusive = OnInconclusive.Pass)
    {
        using var temp = new TempDirectory();
        var candidate = temp.Combine("eval.json");
        EvaluationReportJson.Write(candidate, Scenarios.Candidate(Scenarios.Better, Scenarios.SpecChanges));
        var dataPath = temp.Combine("data.json");
        DataReportJson.Write(dataPath, data);
        var result = GateRunner.Run(Scenarios.Policy(onInconclusive), SyntheticReports.Adapter, candidate, null, temp.Combine("gate"), stepSummaryPath: null,
            CancellationToken.None, data: new DataInput(dataPath, rules));
        Assert.Equal(GateResultJson.Serialize(result), File.ReadAllText(temp.Combine("gate", "gate.json")));
        return (result, File.ReadAllText(temp.Combine("gate", "report.md")));
    }

    [Fact]
    public void Without_data_rules_the_candidate_passes_and_the_checks_are_listed()
    {
        var (result, report) = Gate(Data(new DataCheckSummary("leakage", DataCheckSummary.Found, 2, null)), new DataChecksSpec());

        Assert.Equal((Verdict.Pass, 0), (result.Verdict, result.ExitCode));
        Assert.Empty(result.Data!.Rules);
        Assert.Contains("| `leakage` | ⚠️ found | 2 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leak_over_max_leakage_fails_the_gate_and_is_the_first_line_of_the_data_section()
    {
        var data = Data(new DataCheckSummary("leakage", DataCheckSummary.Found, 2, null), new DataCheckSummary("conflicts", DataCheckSummary.Pass, 0, null));

        var (result, report) = Gate(data, new DataChecksSpec { MaxConflicts = 0, MaxLeakage = 0 });

        Assert.Equal((Verdict.Fail, Conclusion.Failure, 1), (result.Verdict, result.Conclusion, result.ExitCode));
        Assert.Equal(
            [new DataRuleResult("max_leakage", "leakage", 0, 2, Verdict.Fail, "leakage 2 exceeds max_leakage 0"),
             new DataRuleResult("max_conflicts", "conflicts", 0, 0, Verdict.Pass, "conflicts 0 is within max_conflicts 0")],
            result.Data!.Rules);
        Assert.Contains("1 failed", result.Headline, StringComparison.Ordinal);
        var section = report[report.IndexOf("#### Data\n\n", StringComparison.Ordinal)..];
        Assert.StartsWith("#### Data\n\n- ❌ fail `max_leakage` 0: leakage 2 exceeds max\\_leakage 0\n- ✅ pass `max_conflicts` 0", section, StringComparison.Ordinal);
        Assert.True(report.IndexOf("#### Data", StringComparison.Ordinal) < report.IndexOf("#### Target", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_on_a_check_that_did_not_run_is_inconclusive_never_passed()
    {
        var data = Data(new DataCheckSummary("label_errors", DataCheckSummary.NotRun, 0, "base model x cannot be loaded: not found"));

        var (result, _) = Gate(data, new DataChecksSpec { MaxLabelErrors = 10, MaxNearDuplicates = 3 }, OnInconclusive.Neutral);

        Assert.Equal(
            [new DataRuleResult("max_near_duplicates", "near_duplicates", 3, null, Verdict.Inconclusive, "data.json has no near_duplicates check for this task"),
             new DataRuleResult("max_label_errors", "label_errors", 10, null, Verdict.Inconclusive, "label_errors did not run: base model x cannot be loaded: not found")],
            result.Data!.Rules);
        Assert.Equal((Verdict.Inconclusive, Conclusion.Neutral, 3), (result.Verdict, result.Conclusion, result.ExitCode));
        var metricRules = result.Rules.Count(r => r.Verdict == Verdict.Inconclusive);
        Assert.Contains($"{metricRules + 2} inconclusive", result.Headline, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_json_of_another_adapter_is_an_input_error()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("data.json");
        DataReportJson.Write(path, Data() with { Adapter = "other" });

        var error = Assert.Throws<InputException>(() => new DataInput(path, new DataChecksSpec()).Judge(SyntheticReports.Adapter));

        Assert.Equal($"{path}: adapter is 'other', expected '{SyntheticReports.Adapter}'", error.Message);
    }
}
