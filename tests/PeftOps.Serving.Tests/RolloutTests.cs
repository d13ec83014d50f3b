using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.TestHost;
using PeftOps.Cli.Tests;

namespace PeftOps.Serving.Tests;

/// <summary>
/// Promotion and rollback while clients loop requests: no request fails, and every answer names a version that held the
/// stage while the request was in flight (either side of a switch only inside its window, <see cref="RolloutTimeline"/>).
/// </summary>
public sealed class RolloutTests(TrainedRepository trained) : IClassFixture<TrainedRepository>
{
    private const int Clients = 4;

    [Fact]
    public async Task Promote_and_rollback_under_load_fail_no_request_and_each_answer_names_a_holder_of_the_stage()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0", "1.1.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();

        var all = await DrillAsync(sandbox, client, perPhase: 20, (i, answers, stop) => LoopAsync(client, $"i like blue sky {i}", answers, stop));

        Assert.All(all, a => Assert.Equal(200, a.Status));
    }

    /// <summary>
    /// <see cref="Clients"/> loops of <paramref name="loop"/> through a promotion of v1.1.0 and a rollback to v1.0.0, each
    /// after <paramref name="perPhase"/> more answers; asserts every answer names a version that held the stage while it
    /// was in flight, and that each steady phase had at least <paramref name="perPhase"/> answers outside the windows.
    /// </summary>
    internal static async Task<IReadOnlyList<Answer>> DrillAsync(ServingSandbox sandbox, HttpClient client, int perPhase,
        Func<int, ConcurrentQueue<Answer>, CancellationToken, Task> loop)
    {
        var answers = new ConcurrentQueue<Answer>();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, Clients).Select(i => Task.Run(() => loop(i, answers, stop.Token))).ToList();
        var timeline = new RolloutTimeline("v1.0.0");

        // each phase lasts until perPhase answers were both sent and answered in it: a request in flight while a switch
        // closes is not one (on a loaded machine several clients can be), so a slow machine makes a phase longer, not thinner
        await UntilAsync(() => answers.Count >= perPhase);
        var promoted = await SwitchAsync(sandbox, client, timeline, "v1.0.0", "v1.1.0", "registry", "promote", sandbox.Adapter, "--version", "1.1.0", "--stage", ServingSandbox.Stage);
        await UntilAsync(() => answers.Count(a => a.Sent > promoted) >= perPhase);
        var rolledBack = await SwitchAsync(sandbox, client, timeline, "v1.1.0", "v1.0.0", "registry", "rollback", sandbox.Adapter, "--stage", ServingSandbox.Stage);
        await UntilAsync(() => answers.Count(a => a.Sent > rolledBack) >= perPhase);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var all = answers.ToList();
        foreach (var answer in all)
        {
            var allowed = timeline.Allowed(answer.Sent, answer.Answered);
            Assert.True(allowed.Contains(answer.Version!), $"an answer named {answer.Version}; while it was in flight the stage was held by {string.Join(" or ", allowed)}");
        }
        for (var phase = 0; phase < 3; phase++)
            Assert.True(timeline.SteadyCount(all, phase) >= perPhase, $"phase {phase}: only {timeline.SteadyCount(all, phase)} answers outside the switch windows");
        return all;
    }

    /// <summary>Runs the stage change with the real peftops, then the refresh the release workflow sends; the window spans both.</summary>
    private static async Task<long> SwitchAsync(ServingSandbox sandbox, HttpClient client, RolloutTimeline timeline, string from, string to, params string[] change)
    {
        var opened = Stopwatch.GetTimestamp();
        await sandbox.PeftopsAsync(change);
        using var refresh = await client.SendAsync(InProcessServeTests.Refresh(ServingSandbox.RefreshToken));
        var body = await ServeClient.JsonAsync(refresh);
        var closed = Stopwatch.GetTimestamp();
        Assert.Equal(to, body.GetProperty("adapters")[0].GetProperty("version").GetString());
        timeline.Switch(opened, closed, from, to);
        return closed;
    }

    private static async Task LoopAsync(HttpClient client, string text, ConcurrentQueue<Answer> answers, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await ServeClient.PredictAsync(client, text);
            var version = response.IsSuccessStatusCode ? (await ServeClient.JsonAsync(response)).GetProperty("version").GetString() : null;
            answers.Enqueue(new Answer(sent, Stopwatch.GetTimestamp(), (int)response.StatusCode, version));
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the clients stopped getting answers");
            await Task.Delay(20);
        }
    }
}
