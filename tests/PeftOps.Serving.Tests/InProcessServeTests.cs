using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using PeftOps.Cli.Tests;
using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.Serving.Tests;

/// <summary>
/// The server in this process (ASP.NET Core's TestServer in Kestrel's place) over a real git clone of origin and a folder
/// store that the real <c>peftops</c> released into.
/// </summary>
public sealed class InProcessServeTests(TrainedRepository trained) : IClassFixture<TrainedRepository>
{
    internal static readonly string[] Texts = ["i like red fire", "the green grass is moss", "blue sea sky", "a ruby apple"];

    [Fact]
    public async Task It_answers_from_the_stage_holder_as_peftops_predict_does_and_says_so_in_the_list_and_the_metrics()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0", "1.1.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();

        using var response = await ServeClient.PredictAsync(client, Texts);
        var body = await ServeClient.JsonAsync(response);
        using var again = await ServeClient.PredictAsync(client, Texts);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // the adapter trains with LoRA dropout 0.1; served, it runs in evaluation mode: the same answer to the bit
        Assert.Equal(body.GetProperty("predictions").GetRawText(), (await ServeClient.JsonAsync(again)).GetProperty("predictions").GetRawText());
        Assert.Equal("v1.0.0", body.GetProperty("version").GetString());
        Assert.Equal("production", body.GetProperty("stage").GetString());
        var expected = await PredictedByTheCliAsync(sandbox);
        var predictions = body.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(Texts.Length, predictions.Count);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(expected[i].GetProperty("label").GetString(), predictions[i].GetProperty("label").GetString());
            Assert.Equal(expected[i].GetProperty("out_of_scope").GetBoolean(), predictions[i].GetProperty("out_of_scope").GetBoolean());
            Assert.Equal(expected[i].GetProperty("oos_score").GetDouble(), predictions[i].GetProperty("oos_score").GetDouble(), 1e-4);
            foreach (var score in expected[i].GetProperty("scores").EnumerateObject())
                Assert.Equal(score.Value.GetDouble(), predictions[i].GetProperty("scores").GetProperty(score.Name).GetDouble(), 1e-4);
        }

        using var embedded = await client.PostAsync("/v1/adapters/tiny/embed", Json("{\"texts\": [\"blue sea sky\"]}"));
        var embedding = (await ServeClient.JsonAsync(embedded)).GetProperty("embeddings")[0].EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(x => x * x)), 1e-4);

        var sha = sandbox.WeightsSha256("v1.0.0");
        var listed = await ServeClient.JsonAsync(await client.GetAsync("/v1/adapters"));
        var adapter = Assert.Single(listed.GetProperty("adapters").EnumerateArray().ToList());
        Assert.Equal(("tiny", "v1.0.0", "production", sha),
            (adapter.GetProperty("name").GetString(), adapter.GetProperty("version").GetString(), adapter.GetProperty("stage").GetString(), adapter.GetProperty("sha256").GetString()));
        Assert.True(adapter.GetProperty("serving_since").GetDateTimeOffset() <= DateTimeOffset.UtcNow);

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"peftops_serve_adapter_info{{adapter=\"tiny\",version=\"v1.0.0\",stage=\"production\",sha256=\"{sha}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_batch_size_count{endpoint=\"predict\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_request_duration_seconds_count{adapter=\"tiny\",endpoint=\"predict\",status=\"200\"} 2", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_get_one_clear_error_each_and_are_counted()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();
        const string predict = "/v1/adapters/tiny/predict";
        var tooMany = JsonSerializer.Serialize(new { texts = Enumerable.Repeat("red", 65) });
        var tooLong = JsonSerializer.Serialize(new { texts = new[] { "red", new string('a', 2001) } });

        Assert.Equal((400, "texts: missing; expected {\"texts\": [\"...\"]}"), await ServeClient.ErrorAsync(client, predict, "{\"text\": \"red\"}"));
        Assert.Equal((400, "texts: empty; send 1 to 64 texts"), await ServeClient.ErrorAsync(client, predict, "{\"texts\": []}"));
        Assert.Equal((400, "texts: 65 texts, at most 64 per request"), await ServeClient.ErrorAsync(client, predict, tooMany));
        Assert.Equal((400, "texts[1]: 2001 characters, at most 2000"), await ServeClient.ErrorAsync(client, predict, tooLong));
        Assert.Equal((400, "texts[0]: a JSON number, expected a string"), await ServeClient.ErrorAsync(client, predict, "{\"texts\": [3]}"));
        Assert.Equal((400, "texts[1]: empty; expected text"), await ServeClient.ErrorAsync(client, predict, "{\"texts\": [\"red\", \" \"]}"));
        Assert.Equal((400, "texts: a JSON string, expected an array of strings"), await ServeClient.ErrorAsync(client, predict, "{\"texts\": \"red\"}"));
        var notJson = await ServeClient.ErrorAsync(client, predict, "{\"texts\": [\"red\"");
        Assert.Equal(400, notJson.Status);
        Assert.StartsWith("body: not JSON (", notJson.Error, StringComparison.Ordinal);
        Assert.Equal((413, "body: more than 262144 bytes (send at most 64 texts of at most 2000 characters)"),
            await ServeClient.ErrorAsync(client, predict, JsonSerializer.Serialize(new { texts = new[] { new string('a', 300_000) } })));
        Assert.Equal((404, "adapter 'nope' is not served here (serving: tiny)"), await ServeClient.ErrorAsync(client, "/v1/adapters/nope/predict", "{\"texts\": [\"red\"]}"));

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("peftops_serve_errors_total{adapter=\"tiny\",endpoint=\"predict\",status=\"400\"} 8", metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_errors_total{adapter=\"tiny\",endpoint=\"predict\",status=\"413\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_errors_total{adapter=\"(unknown)\",endpoint=\"predict\",status=\"404\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_needs_the_bearer_token()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();

        using var anonymous = await client.PostAsync("/v1/refresh", null);
        using var wrong = await client.SendAsync(Refresh("not-the-token-0123456789"));
        using var right = await client.SendAsync(Refresh(ServingSandbox.RefreshToken));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("refresh needs the header 'Authorization: Bearer <PEFTOPS_SERVE_TOKEN>'", (await ServeClient.JsonAsync(anonymous)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(0, (await ServeClient.JsonAsync(right)).GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task A_version_whose_bytes_changed_in_the_store_is_refused_and_the_old_one_keeps_serving()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0", "1.1.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();
        await sandbox.PeftopsAsync("registry", "promote", "tiny", "--version", "1.1.0", "--stage", ServingSandbox.Stage);
        var weights = Path.Combine(sandbox.Sandbox.Store, "tiny", "v1.1.0", "adapter_model.safetensors");
        File.SetAttributes(weights, FileAttributes.Normal);
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(weights, bytes);

        using var refresh = await client.SendAsync(Refresh(ServingSandbox.RefreshToken));

        Assert.Equal(0, (await ServeClient.JsonAsync(refresh)).GetProperty("changes").GetArrayLength());
        using var response = await ServeClient.PredictAsync(client, "blue sea");
        Assert.Equal("v1.0.0", (await ServeClient.JsonAsync(response)).GetProperty("version").GetString());
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("peftops_serve_refusals_total{adapter=\"tiny\",version=\"v1.1.0\",reason=\"verification\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("peftops_serve_adapter_info{adapter=\"tiny\",version=\"v1.0.0\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("version=\"v1.1.0\",stage", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_restart_with_the_store_gone_it_serves_the_stage_holder_from_the_verified_cache()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using (var first = await sandbox.StartInProcessAsync())
        {
            using var client = first.GetTestClient();
            Assert.Equal(HttpStatusCode.OK, (await ServeClient.PredictAsync(client, "red")).StatusCode);
        }
        Directory.Move(sandbox.Sandbox.Store, sandbox.Sandbox.Store + ".gone");

        await using var second = await sandbox.StartInProcessAsync();
        using var again = second.GetTestClient();
        using var response = await ServeClient.PredictAsync(again, "red");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1.0.0", (await ServeClient.JsonAsync(response)).GetProperty("version").GetString());

        // a cached copy that no longer matches its manifest is not served, and with the store gone there is nothing to replace it
        var cached = Path.Combine(sandbox.Cache, "tiny", "v1.0.0", "adapter_model.safetensors");
        File.AppendAllText(cached, "x");
        var refused = await Assert.ThrowsAsync<PeftOps.Registry.ArtifactIntegrityException>(() => sandbox.StartInProcessAsync());
        Assert.StartsWith("manifest.json: missing from ", refused.Message, StringComparison.Ordinal);
    }

    internal static HttpRequestMessage Refresh(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/refresh");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task An_adapter_saved_by_hf_peft_is_evaluated_with_a_labels_file_gated_released_and_served_with_those_labels()
    {
        string[] colours = ["red", "green", "blue", "other", "none"];
        string labelsFile = "";
        async Task RunOfHfPeftAdapter(ServingSandbox s)
        {
            // the run folder's adapter becomes the one HF PEFT saved (a 5-class classifier, no peftops.labels), evaluated
            // with a labels file and gated as RegressionGate would
            foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors" })
                File.Copy(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora", file), Path.Combine(s.Sandbox.Repository, "artifacts", "tiny", "adapter", file), overwrite: true);
            labelsFile = s.Sandbox.Combine("colours.txt");
            await File.WriteAllLinesAsync(labelsFile, colours);
            var evaluated = await s.Sandbox.Run(null, "evaluate", "adapters/tiny", "--adapter", "artifacts/tiny/adapter", "--out", "artifacts/tiny/eval", "--labels", labelsFile);
            Assert.True(evaluated.ExitCode == 0, evaluated.Stderr);
            var gated = await s.Sandbox.Run(null, "gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--out", "artifacts/tiny/gate");
            Assert.True(gated.ExitCode is 0 or 1 or 3, gated.Stderr);
        }

        using var sandbox = await ServingSandbox.ReleasedAsync(trained, null, RunOfHfPeftAdapter, "2.0.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();
        using var response = await ServeClient.PredictAsync(client, Texts);
        var body = await ServeClient.JsonAsync(response);

        // the stored eval.json names the classes, and the server answers with them, as predict --labels does
        var stored = EvaluationReportJson.Read(Path.Combine(sandbox.Sandbox.Store, "tiny", "v2.0.0", "eval.json"));
        Assert.Equal(colours, stored.ClassLabels);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v2.0.0", body.GetProperty("version").GetString());
        var expected = await PredictedByTheCliAsync(sandbox, "--labels", labelsFile);
        var predictions = body.GetProperty("predictions").EnumerateArray().ToList();
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(colours, predictions[i].GetProperty("scores").EnumerateObject().Select(p => p.Name));
            Assert.Equal(expected[i].GetProperty("label").GetString(), predictions[i].GetProperty("label").GetString());
            foreach (var score in expected[i].GetProperty("scores").EnumerateObject())
                Assert.Equal(score.Value.GetDouble(), predictions[i].GetProperty("scores").GetProperty(score.Name).GetDouble(), 1e-4);
        }
    }

    internal static async Task<List<JsonElement>> PredictedByTheCliAsync(ServingSandbox sandbox, params string[] extra)
    {
        var input = sandbox.Sandbox.Combine("texts.jsonl");
        File.WriteAllLines(input, Texts.Select(t => JsonSerializer.Serialize(new { text = t })));
        var yaml = File.ReadAllLines(Path.Combine(sandbox.Sandbox.Repository, "adapters", "tiny", "adapter.yaml"));
        var model = yaml.Single(l => l.StartsWith("base_model: ", StringComparison.Ordinal))["base_model: ".Length..].Trim();
        var output = sandbox.Sandbox.Combine("predicted.jsonl");
        var predicted = await sandbox.Sandbox.Run(null, ["predict", "--base", model, "--adapter", "artifacts/tiny/adapter", "--input", input, "--out", output, .. extra]);
        Assert.True(predicted.ExitCode == 0, predicted.Stderr);
        return [.. File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
