using System.Collections.Concurrent;
using System.Diagnostics;
using PeftOps.Cli.Tests;

namespace PeftOps.Serving.Tests;

/// <summary>The real <c>peftops serve</c> process, polling origin's tags, while the real <c>peftops</c> promotes and rolls back.</summary>
public sealed class ServeProcessTests(TrainedRepository trained) : IClassFixture<TrainedRepository>
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>How long after a stage change is pushed the server may take to switch: one poll, then fetch, download, verify and load.</summary>
    private static readonly TimeSpan SwitchAllowance = Poll + TimeSpan.FromSeconds(10);

    [Fact]
    public async Task It_follows_a_promotion_and_a_rollback_by_polling_with_no_failed_request_and_stops_cleanly_on_SIGTERM()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0", "1.1.0");
        await using var server = await ServeProcess.StartAsync(sandbox.Served,
            "--stage", ServingSandbox.Stage, "--adapter", "tiny", "--poll", "1", "--cache", sandbox.Cache, "--registry", sandbox.StoreUri);
        using var client = new HttpClient { BaseAddress = server.Address };
        var answers = new ConcurrentQueue<Answer>();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 4).Select(i => Task.Run(() => LoopAsync(client, $"green grass {i}", answers, stop.Token))).ToList();
        var timeline = new RolloutTimeline("v1.0.0");

        await UntilAsync(() => answers.Count >= 10);
        var closed = await SwitchAsync(sandbox, timeline, "v1.0.0", "v1.1.0", "registry", "promote", "tiny", "--version", "1.1.0", "--stage", ServingSandbox.Stage);
        await UntilAsync(() => answers.Count(a => a.Sent > closed) >= 10);
        closed = await SwitchAsync(sandbox, timeline, "v1.1.0", "v1.0.0", "registry", "rollback", "tiny", "--stage", ServingSandbox.Stage);
        await UntilAsync(() => answers.Count(a => a.Sent > closed) >= 10);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        var exitCode = await server.StopAsync();

        var all = answers.ToList();
        Assert.All(all, a => Assert.True(a.Status == 200, $"a request failed with {a.Status}"));
        foreach (var answer in all)
        {
            var allowed = timeline.Allowed(answer.Sent, answer.Answered);
            Assert.True(allowed.Contains(answer.Version!), $"an answer named {answer.Version}; while it was in flight the stage was held by {string.Join(" or ", allowed)}");
        }
        for (var phase = 0; phase < 3; phase++)
            Assert.True(timeline.SteadyCount(all, phase) >= 10, $"phase {phase}: only {timeline.SteadyCount(all, phase)} answers outside the switch windows");
        Assert.Contains("tiny: serving v1.1.0 (was v1.0.0), stage production", server.Output, StringComparison.Ordinal);
        Assert.Contains("tiny: serving v1.0.0 (was v1.1.0), stage production", server.Output, StringComparison.Ordinal);
        Assert.Equal(130, exitCode);
    }

    [Fact]
    public async Task SIGINT_while_clients_are_asking_ends_it_within_10_s_with_exit_130_one_line_and_no_answer_but_200()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var server = await ServeProcess.StartAsync(sandbox.Served,
            "--stage", ServingSandbox.Stage, "--adapter", "tiny", "--poll", "1", "--cache", sandbox.Cache, "--registry", sandbox.StoreUri);
        using var client = new HttpClient { BaseAddress = server.Address };
        var answers = new ConcurrentQueue<Answer>();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 4).Select(i => Task.Run(() => LoopAsync(client, $"blue sky {i}", answers, stop.Token))).ToList();
        await UntilAsync(() => answers.Count >= 10);

        var (exitCode, took) = await server.StopAsync("INT");
        var stopped = Stopwatch.GetTimestamp();
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.True(exitCode == 130, $"exit {exitCode}: {server.Output}");
        Assert.True(took < TimeSpan.FromSeconds(10), $"stopped {took.TotalSeconds:F1} s after SIGINT");
        Assert.Single(server.Output.Split('\n'), line => line.StartsWith("peftops: cancelled (SIGINT)", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", server.Output, StringComparison.Ordinal);
        // each request the server took was answered whole; once it stopped listening, connections were refused (status 0)
        Assert.All(answers, a => Assert.True(a.Status is 200 or 0, $"a request got {a.Status}"));
        Assert.True(answers.Count(a => a.Status == 200 && a.Answered < stopped) >= 10);
    }

    [Fact]
    public async Task Serve_refresh_makes_a_server_that_does_not_poll_follow_a_promotion_now_and_a_wrong_token_exits_5()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0", "1.1.0");
        var token = new Dictionary<string, string> { ["PEFTOPS_SERVE_TOKEN"] = ServingSandbox.RefreshToken };
        await using var server = await ServeProcess.StartAsync(sandbox.Served, token,
            "--stage", ServingSandbox.Stage, "--adapter", "tiny", "--poll", "0", "--cache", sandbox.Cache, "--registry", sandbox.StoreUri);
        var url = server.Address.ToString().TrimEnd('/');
        await sandbox.PeftopsAsync("registry", "promote", "tiny", "--version", "1.1.0", "--stage", ServingSandbox.Stage);

        var wrong = await PeftOpsRunner.AsProcessIn(sandbox.Served, new Dictionary<string, string> { ["PEFTOPS_SERVE_TOKEN"] = "a-wrong-token-0123456789" }, "serve", "refresh", "--url", url);
        var refreshed = await PeftOpsRunner.AsProcessIn(sandbox.Served, token, "serve", "refresh", "--url", url);
        var again = await PeftOpsRunner.AsProcessIn(sandbox.Served, token, "serve", "refresh", "--url", url);

        Assert.Equal((5, $"peftops: {url}/v1/refresh: 401, the server refused the token (PEFTOPS_SERVE_TOKEN differs from the one it was started with)\n"), (wrong.ExitCode, wrong.Stderr));
        Assert.Equal((0, "tiny: v1.0.0 -> v1.1.0\nserving tiny v1.1.0\n"), (refreshed.ExitCode, refreshed.Stdout));
        Assert.Equal((0, "serving tiny v1.1.0 (no change)\n"), (again.ExitCode, again.Stdout));
        using var client = new HttpClient { BaseAddress = server.Address };
        Assert.Equal("v1.1.0", (await ServeClient.JsonAsync(await ServeClient.PredictAsync(client, "red"))).GetProperty("version").GetString());
    }

    [Fact]
    public async Task Bad_options_exit_2_and_an_adapter_nobody_holds_the_stage_for_exits_4_each_with_one_line()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        var store = sandbox.StoreUri;

        var poll = await PeftOpsRunner.AsProcessIn(sandbox.Served, new Dictionary<string, string>(), "serve", "--stage", "production", "--poll", "-1", "--registry", store);
        var tokens = await PeftOpsRunner.AsProcessIn(sandbox.Served, new Dictionary<string, string>(), "serve", "--stage", "production", "--max-new-tokens", "0", "--registry", store);
        var queue = await PeftOpsRunner.AsProcessIn(sandbox.Served, new Dictionary<string, string>(), "serve", "--stage", "production", "--max-queue", "0", "--registry", store);
        var urls = await PeftOpsRunner.AsProcessIn(sandbox.Served, new Dictionary<string, string>(), "serve", "--stage", "production", "--urls", "127.0.0.1:8080", "--registry", store);
        var token = await PeftOpsRunner.AsProcessIn(sandbox.Served, new Dictionary<string, string> { ["PEFTOPS_SERVE_TOKEN"] = "short" }, "serve", "--stage", "production", "--registry", store);
        var nobody = await PeftOpsRunner.AsProcessIn(sandbox.Served, new Dictionary<string, string>(), "serve", "--stage", "production", "--adapter", "other", "--registry", store, "--cache", sandbox.Cache);

        Assert.Equal((2, "peftops: --poll is -1, expected at least 0\n"), (poll.ExitCode, poll.Stderr));
        Assert.Equal((2, "peftops: --max-new-tokens is 0, expected at least 1\n"), (tokens.ExitCode, tokens.Stderr));
        Assert.Equal((2, "peftops: --max-queue is 0, expected at least 1\n"), (queue.ExitCode, queue.Stderr));
        Assert.Equal((2, "peftops: --urls '127.0.0.1:8080' is not a listening address (expected e.g. http://127.0.0.1:8080 or http://0.0.0.0:8080)\n"), (urls.ExitCode, urls.Stderr));
        Assert.Equal((2, "peftops: PEFTOPS_SERVE_TOKEN has 5 characters, expected at least 16 (POST /v1/refresh is off without it)\n"), (token.ExitCode, token.Stderr));
        Assert.Equal((4, $"peftops: other: no version holds stage 'production' in {store.TrimEnd('/')}\n"), (nobody.ExitCode, nobody.Stderr));
    }

    /// <summary>The window opens when the stage change starts and closes <see cref="SwitchAllowance"/> after it is pushed.</summary>
    /// <returns>When the window closes.</returns>
    private static async Task<long> SwitchAsync(ServingSandbox sandbox, RolloutTimeline timeline, string from, string to, params string[] change)
    {
        var opened = Stopwatch.GetTimestamp();
        await sandbox.PeftopsAsync(change);
        var closed = Stopwatch.GetTimestamp() + (long)(SwitchAllowance.TotalSeconds * Stopwatch.Frequency);
        timeline.Switch(opened, closed, from, to);
        return closed;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the clients stopped getting answers");
            await Task.Delay(50);
        }
    }

    private static async Task LoopAsync(HttpClient client, string text, ConcurrentQueue<Answer> answers, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            int status;
            string? version = null;
            try
            {
                using var response = await ServeClient.PredictAsync(client, text);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                    version = (await ServeClient.JsonAsync(response)).GetProperty("version").GetString();
            }
            catch (HttpRequestException)
            {
                status = 0; // refused or reset: a failed request too
            }
            answers.Enqueue(new Answer(sent, Stopwatch.GetTimestamp(), status, version));
        }
    }
}
