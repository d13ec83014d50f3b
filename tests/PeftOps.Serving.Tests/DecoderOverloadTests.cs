using System.Net;
using Microsoft.AspNetCore.TestHost;
using Xunit.Abstractions;

namespace PeftOps.Serving.Tests;

/// <summary>
/// Completions flooding a decoder adapter whose turn queue holds one (<c>--max-queue 1</c>): the overflow, streamed or
/// not, is answered 503 with <c>Retry-After</c> in OpenAI's error shape and counted; the rest are answered in full.
/// </summary>
public sealed class DecoderOverloadTests(ChatTrainedRepository trained, ITestOutputHelper output) : IClassFixture<ChatTrainedRepository>
{
    private const int Requests = 16;

    [Fact]
    public async Task Completions_beyond_the_turn_queue_get_503_in_openais_shape_and_the_server_answers_afterwards()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync(sandbox.Options() with { MaxQueue = 1 });
        using var client = app.GetTestClient();

        // hot sampling rarely meets the end-of-sequence token, so each generation runs near its 100 tokens while the others arrive
        var answers = await Flood.SendAsync(Requests, i => client.SendAsync(OpenAiHttp.Post("/v1/completions",
            new { model = "tiny-llama", prompt = "a", max_tokens = 100, temperature = 2.0, seed = i, stream = i % 2 == 1 })));
        using var afterwards = await client.SendAsync(OpenAiHttp.Post("/v1/completions", new { model = "tiny-llama", prompt = "sky", max_tokens = 2 }));
        var metrics = await client.GetStringAsync("/metrics");

        var (shed, served) = Flood.Split(answers);
        output.WriteLine($"{answers.Count} completions at once: {served.Count} answered, {shed.Count} shed");
        Assert.All(shed, a =>
        {
            var error = a.Body.GetProperty("error");
            Assert.Equal(("tiny-llama@v1.0.0: the server is overloaded (the queue of completions waiting for their turn is full: 1); retry after 1 s", "server_error"),
                (error.GetProperty("message").GetString(), error.GetProperty("type").GetString()));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, error.GetProperty("code").ValueKind);
        });
        Assert.All(served, a => Assert.False(a.Body.TryGetProperty("error", out _)));
        Assert.Equal(shed.Count, Flood.Metric(metrics, "peftops_serve_shed_total{adapter=\"tiny-llama\",endpoint=\"completions\"}"));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal("text_completion", (await ServeClient.JsonAsync(afterwards)).GetProperty("object").GetString());
    }
}
