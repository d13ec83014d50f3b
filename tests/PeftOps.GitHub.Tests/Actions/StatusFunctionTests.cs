using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// <c>success()</c>, <c>always()</c>, <c>failure()</c> and <c>cancelled()</c> as GitHub evaluates an <c>if:</c>: calls found
/// in the parsed expression, never in its text, and GitHub's implicit <c>success() &amp;&amp;</c> where there is none; then
/// the same rules in a real run of <see cref="ActionsRunner"/>, for steps and for jobs that need a failed job.
/// (docs.github.com/actions/reference/workflows-and-actions/expressions#status-check-functions)
/// </summary>
public sealed class StatusFunctionTests : IDisposable
{
    private static readonly RunStatus Failed = RunStatus.Of(["success", "failure"]);
    private static readonly RunStatus Cancelled = RunStatus.Of(["cancelled"]);

    private static readonly IReadOnlyDictionary<string, object?> Contexts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
    {
        ["github"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["event_name"] = "push" },
        ["env"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["always"] = "set" },
    };

    private readonly TempDirectory _temp = new("peftops-status");

    public void Dispose() => _temp.Dispose();

    private static bool If(string? condition, RunStatus status) => ActionsExpression.Condition(condition, Contexts, status);

    [Theory]
    [InlineData(null, true, false, false)]
    [InlineData("", true, false, false)]
    [InlineData("success()", true, false, false)]
    [InlineData("always()", true, true, true)]
    [InlineData("failure()", false, true, false)]
    [InlineData("cancelled()", false, false, true)]
    [InlineData("!cancelled()", true, true, false)]
    [InlineData("${{ always() }}", true, true, true)]
    [InlineData("Always()", true, true, true)]                                   // function names ignore case
    [InlineData("github.event_name == 'push'", true, false, false)]              // no status function: success() && ...
    [InlineData("always() && github.event_name == 'pull_request'", false, false, false)]
    [InlineData("failure() || github.event_name == 'push'", true, true, true)]   // a status function: nothing implicit
    public void An_if_runs_by_what_ran_before_it(string? condition, bool afterSuccess, bool afterFailure, bool afterCancel)
    {
        Assert.Equal(afterSuccess, If(condition, RunStatus.Success));
        Assert.Equal(afterFailure, If(condition, Failed));
        Assert.Equal(afterCancel, If(condition, Cancelled));
    }

    [Theory]
    [InlineData("'always()' == 'always()'")]                 // the words, in a string
    [InlineData("contains('run always()', 'always')")]
    [InlineData("env.always")]                               // a property named always
    public void Always_in_the_text_but_not_called_does_not_run_after_a_failure(string condition)
    {
        Assert.True(If(condition, RunStatus.Success));
        Assert.False(If(condition, Failed));
    }

    [Fact]
    public void A_job_succeeds_when_its_needs_did_and_fails_when_any_ancestor_did()
    {
        var skippedNeed = RunStatus.OfJob(["skipped"], ["skipped", "failure"]);
        Assert.Equal(new RunStatus(false, true, false), skippedNeed);
        Assert.Equal(new RunStatus(false, false, false), RunStatus.OfJob(["skipped"], ["skipped"]));
        Assert.Equal(RunStatus.Success, RunStatus.OfJob(["success", "success"], ["success", "success"]));
        Assert.Equal(RunStatus.Success, RunStatus.Of([]));
    }

    [Fact]
    public async Task In_a_run_steps_and_jobs_after_a_failure_run_only_when_their_if_asks_for_it()
    {
        var origin = _temp.Combine("origin");
        Directory.CreateDirectory(Path.Combine(origin, ".github", "workflows"));
        File.WriteAllText(Path.Combine(origin, ".github", "workflows", "status.yml"), """
            on:
              push:
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: echo "step one ran"; exit 3
                  - run: echo "plain step ran"
                  - if: success()
                    run: echo "success step ran"
                  - if: always()
                    run: echo "always step ran"
                  - if: failure() && github.event_name == 'push'
                    run: echo "failure step ran"
                  - if: "'always()' != ''"
                    run: echo "quoted always ran"
              test:
                needs: build
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: echo "test ran"
              report:
                needs: test
                if: failure()
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: echo "report ran"
              cleanup:
                needs: [build]
                if: always()
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: echo "cleanup ran"
            """);
        GitCli.Run(origin, "init", "-q", "-b", "main");
        GitCli.Run(origin, "add", "-A");
        GitCli.Run(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "workflow");
        var sha = GitCli.Run(origin, "rev-parse", "HEAD").Trim();
        var runner = new ActionsRunner(origin, _temp.Combine("runs"), new Dictionary<string, string>(), new Dictionary<string, string>(), new Uri("http://127.0.0.1:9"));

        var runs = await runner.RunAsync("status.yml", new ActionsEvent("push", sha, "refs/heads/main", new Dictionary<string, object?>()));

        Assert.Equal(["build:failure", "test:skipped", "report:success", "cleanup:success"], runs.Select(r => $"{r.Job}:{r.Status}"));
        var build = runs[0].Log;
        Assert.Contains("step one ran", build, StringComparison.Ordinal);
        Assert.Contains("always step ran", build, StringComparison.Ordinal);
        Assert.Contains("failure step ran", build, StringComparison.Ordinal);
        Assert.DoesNotContain("plain step ran", build, StringComparison.Ordinal);
        Assert.DoesNotContain("success step ran", build, StringComparison.Ordinal);
        Assert.DoesNotContain("quoted always ran", build, StringComparison.Ordinal);
        Assert.Contains("report ran", runs[2].Log, StringComparison.Ordinal);
    }
}
