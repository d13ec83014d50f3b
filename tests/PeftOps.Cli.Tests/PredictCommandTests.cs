using PeftOps.Inference;
using System.Text.Json;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary><c>peftops predict</c>: an adapter trained with a scope answers out_of_scope instead of forcing an intent.</summary>
public sealed class PredictCommandTests
{
    [Fact]
    public async Task An_adapter_with_a_scope_may_refuse_and_one_without_never_does_both_in_one_shape()
    {
        using var adapter = new TinyAdapter("scope: {out_of_scope: {data: data/out_of_scope.jsonl, method: oos-class, target_in_scope_recall: 0.9}}");
        File.WriteAllLines(adapter.Combine("data", "out_of_scope.jsonl"),
            new[] { "i like it", "my paint is the", "i want a", "see it", "it is my", "the colour of it", "want the paint", "i see a paint" }.Select(t => $"{{\"text\": \"{t}\"}}"));
        File.WriteAllLines(adapter.Combine("data", "inputs.jsonl"), ["{\"text\": \"paint it red fire\"}", "{\"text\": \"the colour of it\"}"]);
        using var runs = new TempDirectory();
        string[] learn = ["--set", "training.epochs=25", "--set", "training.learning_rate=3.0e-2", "--set", "method.modules_to_save=[classifier, pooler.dense]"];

        // train as child processes: Spectre.Console keeps the first captured console writer across in-process runs
        var trained = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), ["train", adapter.Directory, "--out", runs.Combine("scoped"), .. learn]);
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        trained = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), ["train", adapter.Directory, "--out", runs.Combine("plain"), .. learn, "--set", "scope=null"]);
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var baseRef = File.ReadLines(adapter.Combine("adapter.yaml")).First(l => l.StartsWith("base_model:", StringComparison.Ordinal))["base_model:".Length..].Trim();
        async Task<JsonElement[]> Predict(string run)
        {
            var result = await PeftOpsRunner.InProcess("predict", "--base", baseRef, "--adapter", runs.Combine(run, "adapter"),
                "--input", adapter.Combine("data", "inputs.jsonl"), "--out", runs.Combine(run + ".jsonl"), "--max-length", "16");
            Assert.True(result.ExitCode == 0, result.Stderr);
            return [.. File.ReadLines(runs.Combine(run + ".jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];
        }

        var scoped = await Predict("scoped");
        var plain = await Predict("plain");

        Assert.Equal(["text", "label", "scores", "out_of_scope", "oos_score"], scoped[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["text", "label", "scores", "out_of_scope", "oos_score"], plain[0].EnumerateObject().Select(p => p.Name));
        // without a scope nothing is refused: the arg-max label, and oos_score is still 1 - its probability
        Assert.All(plain, p => Assert.False(p.GetProperty("out_of_scope").GetBoolean()));
        var plainTop = plain[1].GetProperty("scores").EnumerateObject().MaxBy(p => p.Value.GetDouble());
        Assert.Equal(plainTop.Name, plain[1].GetProperty("label").GetString());
        Assert.Equal(1 - plainTop.Value.GetDouble(), plain[1].GetProperty("oos_score").GetDouble(), 5);
        Assert.Equal(["blue", "green", "red", "out_of_scope"], scoped[0].GetProperty("scores").EnumerateObject().Select(p => p.Name));
        Assert.Equal((false, "red"), (scoped[0].GetProperty("out_of_scope").GetBoolean(), scoped[0].GetProperty("label").GetString()));
        // a refused message has no intent; an accepted one has its top in-scope intent
        Assert.All(scoped, p => Assert.Equal(p.GetProperty("out_of_scope").GetBoolean(), p.GetProperty("label").ValueKind == JsonValueKind.Null));
        // oos_score = 1 - the top in-scope probability
        var inScopeTop = scoped[1].GetProperty("scores").EnumerateObject().Where(p => p.Name != "out_of_scope").Max(p => p.Value.GetDouble());
        Assert.Equal(1 - inScopeTop, scoped[1].GetProperty("oos_score").GetDouble(), 5);

        // score mahalanobis: oos_score is the distance to the nearest in-scope class, refused beyond the adapter's threshold
        trained = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), ["train", adapter.Directory, "--out", runs.Combine("distance"), .. learn,
            "--set", "scope.out_of_scope.score=mahalanobis"]);
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        Assert.Contains("scope: oos-class, mahalanobis threshold", trained.Stdout, StringComparison.Ordinal);
        var threshold = AdapterMetadata.Read(runs.Combine("distance", "adapter")).Scope!.Threshold;
        var distance = await Predict("distance");
        Assert.Equal(["text", "label", "scores", "out_of_scope", "oos_score"], distance[0].EnumerateObject().Select(p => p.Name));
        foreach (var p in distance)
        {
            var scores = p.GetProperty("scores").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetDouble());
            var oosWins = scores["out_of_scope"] > scores.Where(s => s.Key != "out_of_scope").Max(s => s.Value);
            Assert.True(p.GetProperty("oos_score").GetDouble() >= 0);
            Assert.Equal(oosWins || p.GetProperty("oos_score").GetDouble() > threshold, p.GetProperty("out_of_scope").GetBoolean());
            Assert.Equal(p.GetProperty("out_of_scope").GetBoolean(), p.GetProperty("label").ValueKind == JsonValueKind.Null);
        }
    }
}
