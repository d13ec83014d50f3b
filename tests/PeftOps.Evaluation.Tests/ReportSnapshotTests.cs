using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Reporting;
using PeftOps.Evaluation.Tests.Support;
using Snapshooter.Xunit;

namespace PeftOps.Evaluation.Tests;

/// <summary>The report's Markdown for the four cases reviewers see, against committed snapshots in __snapshots__.</summary>
public class ReportSnapshotTests
{
    private static readonly ReportChart[] Charts =
    [
        new(ReportCharts.TrainingCurve, "training loss by step",
            "xychart-beta\n    title \"Training loss by step\"\n    x-axis \"step\" [10, 20, 30]\n    y-axis \"loss\" 0.6 --> 2\n    line [1.9, 1.2, 0.7]"),
        new(ReportCharts.PerClassF1, "per-class F1 change",
            "xychart-beta\n    title \"F1 change per class (candidate - production)\"\n    x-axis [\"billing\", \"returns\"]\n    y-axis \"ΔF1\" -0.1 --> 0.2\n    bar [0.15, -0.05]"),
    ];

    [Fact]
    public void Report_of_a_candidate_that_passes_against_production()
    {
        var result = Gate.Evaluate(Scenarios.Policy(), SyntheticReports.Adapter,
            Scenarios.Candidate(Scenarios.Better, Scenarios.SpecChanges), Scenarios.ProductionReport());

        Assert.Equal(Verdict.Pass, result.Verdict);
        Snapshot.Match(ReportRenderer.Render(result, Charts));
    }

    [Fact]
    public void Report_of_a_candidate_that_breaks_non_target_behaviour()
    {
        var result = Gate.Evaluate(Scenarios.Policy(), SyntheticReports.Adapter,
            Scenarios.Candidate(Scenarios.Damaging), Scenarios.ProductionReport());

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(2, result.Rules.Count(r => r.Verdict == Verdict.Fail));
        Snapshot.Match(ReportRenderer.Render(result, Charts));
    }

    [Fact]
    public void Report_of_an_inconclusive_candidate_with_on_inconclusive_neutral()
    {
        var result = Gate.Evaluate(Scenarios.Policy(OnInconclusive.Neutral), SyntheticReports.Adapter,
            Scenarios.Candidate(Scenarios.Similar), Scenarios.ProductionReport());

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal(3, result.ExitCode);
        Snapshot.Match(ReportRenderer.Render(result, Charts));
    }

    [Fact]
    public void Report_of_a_first_version_with_nothing_in_production()
    {
        var result = Gate.Evaluate(Scenarios.Policy(OnInconclusive.Pass), SyntheticReports.Adapter,
            Scenarios.Candidate(Scenarios.Better), baseline: null);

        Assert.Equal(BaselineKind.BaseModel, result.Baseline.Kind);
        Assert.True(result.SpecChanges.FirstVersion);
        Snapshot.Match(ReportRenderer.Render(result, Charts));
    }
}
