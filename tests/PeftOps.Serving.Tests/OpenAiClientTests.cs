using System.Diagnostics;
using System.Text.Json;
using PeftOps.Modeling.Generation;
using PeftOps.TestSupport;

namespace PeftOps.Serving.Tests;

/// <summary>
/// OpenAI's official client library (npm <c>openai</c>, installed by the test into <c>.tools/openai</c>) against the built
/// <c>peftops serve</c> on a local port: what the client parsed is what the adapter, run by hand, generates.
/// </summary>
public sealed class OpenAiClientTests(ChatTrainedRepository trained) : IClassFixture<ChatTrainedRepository>
{
    private const string Question = "what is the colour of grass ?";

    [Fact]
    public async Task The_official_OpenAI_client_reads_chat_completions_streams_usage_text_completions_models_and_errors()
    {
        await NpmPackage.OpenAi.EnsureInstalledAsync();
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var server = await ServeProcess.StartAsync(sandbox.Served,
            "--stage", ServingSandbox.Stage, "--adapter", sandbox.Adapter, "--poll", "0", "--cache", sandbox.Cache, "--registry", sandbox.StoreUri);
        using var oracle = new DecoderOracle(sandbox);
        var chat = oracle.FromRendered($"user : {Question} . assistant :", new GenerationOptions { MaxNewTokens = 6 });
        var text = oracle.FromPrompt(Question, new GenerationOptions { MaxNewTokens = 4 });

        var parsed = await RunClientAsync(new Uri(server.Address, "v1").ToString(), "tiny-llama", Question);

        var whole = parsed.GetProperty("chat");
        Assert.StartsWith("chatcmpl-", whole.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(("chat.completion", "tiny-llama", "tiny-llama@v1.0.0", 1, "assistant"),
            (whole.GetProperty("object").GetString(), whole.GetProperty("model").GetString(), whole.GetProperty("system_fingerprint").GetString(),
             whole.GetProperty("choices").GetInt32(), whole.GetProperty("role").GetString()));
        Assert.Equal((chat.Text, chat.FinishReason), (whole.GetProperty("content").GetString(), whole.GetProperty("finish_reason").GetString()));
        AssertUsage(chat, whole.GetProperty("usage"));

        var stream = parsed.GetProperty("stream");
        Assert.Equal(["chat.completion.chunk"], stream.GetProperty("objects").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(1, stream.GetProperty("ids").GetArrayLength());
        Assert.Equal(("assistant", chat.Text, chat.FinishReason),
            (stream.GetProperty("role").GetString(), stream.GetProperty("content").GetString(), stream.GetProperty("finish_reason").GetString()));
        AssertUsage(chat, stream.GetProperty("usage"));

        var completion = parsed.GetProperty("completion");
        Assert.Equal(("text_completion", text.Text, text.FinishReason),
            (completion.GetProperty("object").GetString(), completion.GetProperty("text").GetString(), completion.GetProperty("finish_reason").GetString()));
        AssertUsage(text, completion.GetProperty("usage"));
        Assert.Equal(text.Text, parsed.GetProperty("text_stream").GetProperty("text").GetString());
        AssertUsage(text, parsed.GetProperty("text_stream").GetProperty("usage"));

        var model = Assert.Single(parsed.GetProperty("models").EnumerateArray().ToList());
        Assert.Equal(("tiny-llama", "model", "peftops"), (model.GetProperty("id").GetString(), model.GetProperty("object").GetString(), model.GetProperty("owned_by").GetString()));

        var n = parsed.GetProperty("refusals").GetProperty("n");
        Assert.Equal((400, "BadRequestError", "invalid_request_error", "n", "unsupported_value", "n: 2 is not supported; this server generates one choice per request (n = 1)"),
            (n.GetProperty("status").GetInt32(), n.GetProperty("name").GetString(), n.GetProperty("type").GetString(), n.GetProperty("param").GetString(),
             n.GetProperty("code").GetString(), n.GetProperty("message").GetString()));
        var missing = parsed.GetProperty("refusals").GetProperty("model");
        Assert.Equal((404, "NotFoundError", "model_not_found"), (missing.GetProperty("status").GetInt32(), missing.GetProperty("name").GetString(), missing.GetProperty("code").GetString()));
    }

    private static void AssertUsage(GeneratedText expected, JsonElement usage) =>
        Assert.Equal((expected.PromptTokens, expected.Tokens.Count, expected.PromptTokens + expected.Tokens.Count),
            (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));

    /// <summary>Runs <c>OpenAi/openai-client.cjs</c> with node and parses what it printed.</summary>
    private static async Task<JsonElement> RunClientAsync(string baseUrl, string model, string question)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "PeftOps.Serving.Tests", "OpenAi", "openai-client.cjs");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, baseUrl, model, question })
            start.ArgumentList.Add(argument);
        start.Environment["NODE_PATH"] = NpmPackage.OpenAi.NodeModules;
        start.Environment["NODE_NO_WARNINGS"] = "1";
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node openai-client.cjs exited {node.ExitCode}: {await error}");
        using var document = JsonDocument.Parse(await output);
        return document.RootElement.Clone();
    }
}
