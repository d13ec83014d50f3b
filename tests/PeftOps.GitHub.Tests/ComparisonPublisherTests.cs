using PeftOps.Contracts;
using PeftOps.Evaluation.Comparing;
using PeftOps.Evaluation.Reporting;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>
/// A method comparison posted as its own sticky comment: real Octokit against a recording HTTP server, compare.md as
/// <see cref="ComparisonRenderer"/> writes it, so the renderer's marker and the publisher's are checked together.
/// </summary>
public sealed class ComparisonPublisherTests : IDisposable
{
    private readonly FakeGitHub _github = new();
    private readonly TempDirectory _temp = new("peftops-compare");
    private readonly StringWriter _log = new();

    public void Dispose()
    {
        _github.Dispose();
        _temp.Dispose();
        _log.Dispose();
    }

    private string CompareFolder(string adapter = "support-intents")
    {
        var directory = _temp.Combine("compare");
        Directory.CreateDirectory(directory);
        ComparedVariant Row(string name, long parameters) => new()
        {
            Name = name, Set = [], Method = "lora r=8 alpha=16 on query, value", SpecSha256 = new string('a', 64), Verdict = Verdict.Pass,
            GateExitCode = 0, Headline = "passes", TrainableParams = parameters, TotalParams = 1000, AdapterBytes = parameters * 4,
            TrainSeconds = 1, LatencyMs = 0.5,
            Target = [new VariantMetric { Suite = "intents", Metric = "accuracy", Base = 0.2, Adapted = 0.9, Delta = 0.7, Rule = RuleKind.Min, CiLow = 0.85, CiHigh = 0.95 }],
            NonTarget = [],
        };
        var report = Comparison.Report(adapter, "builtin:all-MiniLM-L6-v2", 0.95, [Row("committed", 300), Row("ia3", 100)], DateTimeOffset.UnixEpoch);
        ComparisonReportJson.Write(Path.Combine(directory, ComparisonReport.FileName), report);
        File.WriteAllText(Path.Combine(directory, ComparisonRenderer.FileName), ComparisonRenderer.Render(report));
        return directory;
    }

    [Fact]
    public async Task Posts_the_comparison_as_its_own_comment_beside_the_gate_report_and_no_check_run()
    {
        _github.HasComments([new { id = 1, body = "<!-- peftops:report adapter=support-intents -->\n## the gate report" }]);

        var publication = await new ReportPublisher(_github.Environment(), _log).PublishComparisonAsync("support-intents", CompareFolder(), CancellationToken.None);

        var body = FakeGitHub.BodyOf(Assert.Single(_github.RequestsTo("POST", "/repos/o/r/issues/7/comments"))).GetProperty("body").GetString()!;
        Assert.StartsWith("<!-- peftops:compare adapter=support-intents -->\n### Method comparison: support\\-intents\n", body, StringComparison.Ordinal);
        Assert.Contains("**🏆 Lightest passing variant: `ia3`**", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.Requests, e => e.RequestMessage.Method == "PATCH");
        Assert.Empty(_github.RequestsTo("POST", "/repos/o/r/check-runs"));
        Assert.False(publication.Comment!.Updated);
        Assert.Contains("Created the comparison comment on o/r#7", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updates_the_comparison_comment_and_leaves_the_gate_reports_alone()
    {
        _github.HasComments([
            new { id = 1, body = "<!-- peftops:report adapter=support-intents -->\n## the gate report" },
            new { id = 555, body = "<!-- peftops:compare adapter=support-intents -->\nan older comparison" },
        ]);

        var publication = await new ReportPublisher(_github.Environment(), _log).PublishComparisonAsync("support-intents", CompareFolder(), CancellationToken.None);

        Assert.Empty(_github.RequestsTo("POST", "/repos/o/r/issues/7/comments"));
        Assert.Empty(_github.RequestsTo("PATCH", "/repos/o/r/issues/comments/1"));
        var patch = Assert.Single(_github.RequestsTo("PATCH", "/repos/o/r/issues/comments/555"));
        Assert.StartsWith(ReportMarker.ForComparison("support-intents"), FakeGitHub.BodyOf(patch).GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.True(publication.Comment!.Updated);
    }

    [Fact]
    public async Task Writes_the_comparison_to_a_file_without_a_token_and_refuses_another_adapters()
    {
        var folder = CompareFolder();

        var local = await new ReportPublisher(_github.Environment(token: null), _log).PublishComparisonAsync("support-intents", folder, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InputException>(() => new ReportPublisher(_github.Environment(), _log).PublishComparisonAsync("other", folder, CancellationToken.None));

        Assert.Equal(Path.Combine(folder, "comment.md"), local.LocalPath);
        Assert.StartsWith(ReportMarker.ForComparison("support-intents"), await File.ReadAllTextAsync(local.LocalPath!), StringComparison.Ordinal);
        Assert.EndsWith("compare.json: adapter is 'support-intents', expected 'other'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_github.Requests);
    }
}
