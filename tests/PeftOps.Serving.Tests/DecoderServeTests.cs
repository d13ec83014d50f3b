using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Generation;

namespace PeftOps.Serving.Tests;

/// <summary>
/// A decoder adapter released and promoted by the real <c>peftops</c>, served in this process: OpenAI's chat and text
/// completions answer what the generator gives for the adapter run by hand, whole and streamed.
/// </summary>
public sealed class DecoderServeTests(ChatTrainedRepository trained) : IClassFixture<ChatTrainedRepository>
{
    private const string Question = "what is the colour of sky ?";

    [Fact]
    public async Task Chat_completions_encode_the_conversation_as_peftops_generate_does_and_answer_what_the_generator_gives_whole_and_streamed()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();
        using var oracle = new DecoderOracle(sandbox);
        // peftops generate encodes the conversation to the template's text with nothing added; the server must answer
        // from the same ids (its usage counts them, its answer is theirs)
        var ids = oracle.ChatIds([new ChatMessage("user", Question)]);
        Assert.Equal(oracle.Tokens($"user : {Question} . assistant :"), ids);
        var expected = oracle.FromIds(ids, new GenerationOptions { MaxNewTokens = 6 });
        Assert.Equal(ids.Length, expected.PromptTokens);

        using var whole = await client.SendAsync(OpenAiHttp.Post("/v1/chat/completions", OpenAiHttp.Chat("tiny-llama", Question, 6)));
        var body = await ServeClient.JsonAsync(whole);
        var (streamed, events) = await OpenAiHttp.StreamAsync(client, OpenAiHttp.Post("/v1/chat/completions", OpenAiHttp.Chat("tiny-llama", Question, 6, stream: true)));

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("v1.0.0", whole.Headers.GetValues(GenerationEndpoints.VersionHeader).Single());
        Assert.Equal(("chat.completion", "tiny-llama", "tiny-llama@v1.0.0"),
            (body.GetProperty("object").GetString(), body.GetProperty("model").GetString(), body.GetProperty("system_fingerprint").GetString()));
        var choice = body.GetProperty("choices").EnumerateArray().Single();
        Assert.Equal(("assistant", expected.Text, expected.FinishReason),
            (choice.GetProperty("message").GetProperty("role").GetString(), choice.GetProperty("message").GetProperty("content").GetString(), choice.GetProperty("finish_reason").GetString()));
        var usage = body.GetProperty("usage");
        Assert.Equal((expected.PromptTokens, expected.Tokens.Count, expected.PromptTokens + expected.Tokens.Count),
            (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));

        Assert.Equal("text/event-stream", OpenAiHttp.ContentType(streamed)!.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta")).Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Equal(expected.Text, text);
        Assert.Equal(expected.FinishReason, chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(expected.Tokens.Count, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Text_completions_sampling_seeds_models_errors_and_metrics()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();
        using var oracle = new DecoderOracle(sandbox);
        var greedy = oracle.FromPrompt(Question, new GenerationOptions { MaxNewTokens = 4 });
        var sampled = oracle.FromPrompt(Question, new GenerationOptions { MaxNewTokens = 8, Temperature = 1.0, TopP = 0.9, Seed = 7 });

        var completion = await ServeClient.JsonAsync(await client.SendAsync(OpenAiHttp.Post("/v1/completions",
            new { model = "tiny-llama", prompt = Question, max_tokens = 4, temperature = 0 })));
        var seeded = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ => await ServeClient.JsonAsync(await client.SendAsync(OpenAiHttp.Post("/v1/completions",
            new { model = "tiny-llama", prompt = Question, max_tokens = 8, temperature = 1.0, top_p = 0.9, seed = 7 })))));
        var models = await ServeClient.JsonAsync(await client.GetAsync("/v1/models"));
        // no max_tokens: the server's 512 gives way to the room left in the tiny model's 128 positions
        using var unlimited = await client.SendAsync(OpenAiHttp.Post("/v1/chat/completions", new { model = "tiny-llama", messages = new[] { new { role = "user", content = Question } }, seed = 3 }));
        var fitted = (await ServeClient.JsonAsync(unlimited)).GetProperty("usage");

        Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
        Assert.InRange(fitted.GetProperty("total_tokens").GetInt32(), 2, 128);
        Assert.Equal("text_completion", completion.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", completion.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(greedy.Text, completion.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(greedy.PromptTokens, completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.All(seeded, s => Assert.Equal(sampled.Text, s.GetProperty("choices")[0].GetProperty("text").GetString()));
        var model = Assert.Single(models.GetProperty("data").EnumerateArray().ToList());
        Assert.Equal(("list", "tiny-llama", "model", "peftops", "v1.0.0"), (models.GetProperty("object").GetString(), model.GetProperty("id").GetString(),
            model.GetProperty("object").GetString(), model.GetProperty("owned_by").GetString(), model.GetProperty("version").GetString()));

        using var n2 = await client.SendAsync(OpenAiHttp.Post("/v1/chat/completions", new { model = "tiny-llama", messages = new[] { new { role = "user", content = "hi" } }, n = 2 }));
        var refused = (await ServeClient.JsonAsync(n2)).GetProperty("error");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error", "n", "unsupported_value"),
            (n2.StatusCode, refused.GetProperty("type").GetString(), refused.GetProperty("param").GetString(), refused.GetProperty("code").GetString()));
        using var missing = await client.SendAsync(OpenAiHttp.Post("/v1/completions", new { model = "nope", prompt = "hi" }));
        var notFound = (await ServeClient.JsonAsync(missing)).GetProperty("error");
        Assert.Equal((HttpStatusCode.NotFound, "model_not_found", "model 'nope': no adapter of that name is served here (decoder adapters served: tiny-llama)"),
            (missing.StatusCode, notFound.GetProperty("code").GetString(), notFound.GetProperty("message").GetString()));
        using var tooLong = await client.SendAsync(OpenAiHttp.Post("/v1/completions", new { model = "tiny-llama", prompt = string.Join(' ', Enumerable.Repeat("sky", 130)), max_tokens = 4 }));
        var context = (await ServeClient.JsonAsync(tooLong)).GetProperty("error");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("max_position_embeddings", context.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, "tiny-llama@v1.0.0 is a decoder adapter: it answers POST /v1/chat/completions and /v1/completions, not /predict"),
            await ServeClient.ErrorAsync(client, "/v1/adapters/tiny-llama/predict", "{\"texts\": [\"sky\"]}"));

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"peftops_serve_generations_total{{adapter=\"tiny-llama\",endpoint=\"completions\",finish_reason=\"{greedy.FinishReason}\"}}", metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_tokens_total{adapter=\"tiny-llama\",kind=\"prompt\"} " + (3 * greedy.PromptTokens + fitted.GetProperty("prompt_tokens").GetInt32()), metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_request_duration_seconds_count{adapter=\"tiny-llama\",endpoint=\"completions\",status=\"200\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_errors_total{adapter=\"(unknown)\",endpoint=\"completions\",status=\"404\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_stream_cancels_its_generation_and_the_next_request_is_answered()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();
        const string left = "peftops_serve_request_duration_seconds_count{adapter=\"tiny-llama\",endpoint=\"completions\",status=\"499\"} 1";

        // a tiny model can finish (an end-of-sequence token, or all 120 tokens) before a client on a loaded machine gets to
        // leave: then the generation was not cut short, and the client tries again with another seed
        var metrics = "";
        for (var attempt = 0; attempt < 10 && !metrics.Contains(left, StringComparison.Ordinal); attempt++)
        {
            using (var leaving = new CancellationTokenSource())
            {
                var request = OpenAiHttp.Post("/v1/completions", new { model = "tiny-llama", prompt = "a", max_tokens = 120, temperature = 2.0, seed = attempt, stream = true });
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leaving.Token);
                await using var stream = await response.Content.ReadAsStreamAsync(leaving.Token);
                Assert.Equal(1, await stream.ReadAsync(new byte[1], leaving.Token));
                await leaving.CancelAsync();
            }
            metrics = await SettledMetricsAsync(client, attempt + 1);
        }
        var answered = await ServeClient.JsonAsync(await client.SendAsync(OpenAiHttp.Post("/v1/completions", new { model = "tiny-llama", prompt = "a", max_tokens = 2 })));

        Assert.Contains(left, metrics, StringComparison.Ordinal);
        Assert.Equal("text_completion", answered.GetProperty("object").GetString());
    }

    /// <summary>The metrics once <paramref name="requests"/> completions requests have been answered (with 200 or 499).</summary>
    private static async Task<string> SettledMetricsAsync(HttpClient client, int requests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var metrics = await client.GetStringAsync("/metrics");
            var counted = metrics.Split('\n').Where(l => l.StartsWith("peftops_serve_request_duration_seconds_count{adapter=\"tiny-llama\",endpoint=\"completions\"", StringComparison.Ordinal))
                .Sum(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            if (counted >= requests || DateTime.UtcNow > deadline)
                return metrics;
            await Task.Delay(50);
        }
    }
}
