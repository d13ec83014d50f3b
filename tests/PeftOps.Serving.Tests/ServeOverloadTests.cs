using System.Net;
using Microsoft.AspNetCore.TestHost;
using Xunit.Abstractions;
using PeftOps.Cli.Tests;

namespace PeftOps.Serving.Tests;

/// <summary>
/// A flood of classifier requests far above the queue's capacity (<c>--max-queue 1</c>, one text per forward pass) on the
/// real server: the overflow is shed with 503 and <c>Retry-After</c>, nothing else fails, memory stays flat, the metric
/// counts every 503, and the server answers normally afterwards.
/// </summary>
public sealed class ServeOverloadTests(TrainedRepository trained, ITestOutputHelper output) : IClassFixture<TrainedRepository>
{
    private const int Requests = 200;
    private const int Rounds = 3;

    [Fact]
    public async Task A_flood_is_shed_with_503_and_retry_after_memory_stays_flat_and_the_server_answers_afterwards()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync(sandbox.Options() with { MaxBatch = 1, MaxQueue = 1, BatchWait = TimeSpan.Zero });
        using var client = app.GetTestClient();
        var answers = new List<Flood.Answer>();
        // the first flood warms what a server keeps whatever the load (JIT, pools, metric series); the heap is measured after it
        answers.AddRange(await Flood.SendAsync(Requests, i => ServeClient.PredictAsync(client, $"red sky {i}")));
        var before = Flood.Memory();

        for (var round = 0; round < Rounds; round++)
            answers.AddRange(await Flood.SendAsync(Requests, i => ServeClient.PredictAsync(client, $"blue sea {i}")));
        var after = Flood.Memory();
        using var afterwards = await ServeClient.PredictAsync(client, InProcessServeTests.Texts);
        var metrics = await client.GetStringAsync("/metrics");

        var (shed, served) = Flood.Split(answers);
        output.WriteLine($"{answers.Count} requests: {served.Count} answered, {shed.Count} shed; managed heap {before.Heap >> 10} -> {after.Heap >> 10} KiB, working set {before.WorkingSet >> 20} -> {after.WorkingSet >> 20} MiB");
        Assert.All(shed, a => Assert.Equal("tiny@v1.0.0: the server is overloaded (the queue of texts waiting for a forward pass is full: 1); retry after 1 s",
            a.Body.GetProperty("error").GetString()));
        Assert.All(served, a => Assert.Single(a.Body.GetProperty("predictions").EnumerateArray()));
        Assert.Equal(shed.Count, Flood.Metric(metrics, "peftops_serve_shed_total{adapter=\"tiny\",endpoint=\"predict\"}"));
        Assert.Equal(shed.Count, Flood.Metric(metrics, "peftops_serve_errors_total{adapter=\"tiny\",endpoint=\"predict\",status=\"503\"}"));
        Assert.True(after.Heap - before.Heap < 16 << 20,
            $"the managed heap grew by {(after.Heap - before.Heap) >> 10} KiB over {Rounds} floods of {Requests} requests ({shed.Count} shed of {answers.Count})");
        Assert.True(after.WorkingSet - before.WorkingSet < 256 << 20,
            $"the working set grew by {(after.WorkingSet - before.WorkingSet) >> 20} MiB over {Rounds} floods of {Requests} requests");

        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(InProcessServeTests.Texts.Length, (await ServeClient.JsonAsync(afterwards)).GetProperty("predictions").GetArrayLength());
    }
}
