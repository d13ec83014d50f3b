using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;

namespace PeftOps.Serving.Tests;

/// <summary>
/// Promotion and rollback of a decoder adapter while clients stream chat completions: every stream ends with
/// <c>[DONE]</c> and no error, and names (as <c>system_fingerprint</c>) a version that held the stage while it was in flight.
/// </summary>
public sealed class DecoderRolloutTests(ChatTrainedRepository trained) : IClassFixture<ChatTrainedRepository>
{
    [Fact]
    public async Task Promote_and_rollback_while_requests_stream_fail_no_request()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0", "1.1.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();
        var failures = new ConcurrentQueue<string>();

        await RolloutTests.DrillAsync(sandbox, client, perPhase: 6, (i, answers, stop) => LoopAsync(client, $"what is the colour of sea ? {i}", answers, failures, stop));

        Assert.Empty(failures);
    }

    /// <summary>Streams chat completions until stopped; a stream that is not 200, holds an error or lacks [DONE] is a failure.</summary>
    private static async Task LoopAsync(HttpClient client, string question, ConcurrentQueue<Answer> answers, ConcurrentQueue<string> failures, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            var (response, events) = await OpenAiHttp.StreamAsync(client, OpenAiHttp.Post("/v1/chat/completions", OpenAiHttp.Chat("tiny-llama", question, 4, stream: true)));
            using (response)
            {
                var chunks = events.Where(e => e != "[DONE]").Select(e => JsonDocument.Parse(e).RootElement).ToList();
                if (!response.IsSuccessStatusCode || events.Count == 0 || events[^1] != "[DONE]" || chunks.Any(c => c.TryGetProperty("error", out _)))
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {string.Join(" | ", events)}");
                    continue;
                }
                var fingerprint = chunks[0].GetProperty("system_fingerprint").GetString()!;
                answers.Enqueue(new Answer(sent, Stopwatch.GetTimestamp(), (int)response.StatusCode, fingerprint["tiny-llama@".Length..]));
            }
        }
    }
}
