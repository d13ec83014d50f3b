using System.Text.Json;
using PeftOps.Inference;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Peft;
using PeftOps.TestSupport;
using PeftOps.Training.Data;
using PeftOps.Training.Evaluating;
using PeftOps.Training.Trainer;
using Spectre.Console;

namespace PeftOps.Training.Tests;

[Collection(TorchRngCollection.Name)]
public sealed class TrainRecipeTests
{
    [Fact]
    public void The_same_spec_and_seed_give_byte_identical_adapter_files()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();

        var a = Train(adapter, runs.Combine("a"));
        var b = Train(adapter, runs.Combine("b"));
        var other = Train(adapter, runs.Combine("c"), ["training.seed=8"]);

        foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors" })
            Assert.Equal(File.ReadAllBytes(runs.Combine("a", "adapter", file)), File.ReadAllBytes(runs.Combine("b", "adapter", file)));
        Assert.Equal((a.BestStep, a.BestMetric, a.SpecSha256), (b.BestStep, b.BestMetric, b.SpecSha256));
        // the seed is what makes them equal: another seed trains other weights (same shapes, same byte count)
        var weights = File.ReadAllBytes(runs.Combine("a", "adapter", "adapter_model.safetensors"));
        var otherWeights = File.ReadAllBytes(runs.Combine("c", "adapter", "adapter_model.safetensors"));
        Assert.Equal(weights.Length, otherWeights.Length);
        Assert.False(weights.AsSpan().SequenceEqual(otherWeights), "a different seed gave the same weights");
        Assert.NotEqual(a.SpecSha256, other.SpecSha256);
    }

    [Fact]
    public void A_run_stopped_midway_resumes_from_its_checkpoint_to_the_same_adapter()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();
        Train(adapter, runs.Combine("straight"));

        using var cts = new CancellationTokenSource();
        using (var progress = new TrainProgress(QuietConsole(), interactive: false))
        {
            var options = new TrainOptions(runs.Combine("resumed"), AfterStep: step => { if (step == 5) cts.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => TrainRecipe.Run(AdapterSpecLoader.Load(adapter.Directory), options, progress, cts.Token));
        }
        Assert.False(Directory.Exists(runs.Combine("resumed")));
        Assert.True(File.Exists(Path.Combine(new RunFolder(runs.Combine("resumed")).CheckpointDir, "state.json")));
        var summary = Train(adapter, runs.Combine("resumed"));

        Assert.True(summary.Resumed);
        Assert.Equal(File.ReadAllBytes(runs.Combine("straight", "adapter", "adapter_model.safetensors")),
            File.ReadAllBytes(runs.Combine("resumed", "adapter", "adapter_model.safetensors")));
        Assert.Equal(File.ReadAllLines(runs.Combine("straight", "metrics.jsonl")).Length, File.ReadAllLines(runs.Combine("resumed", "metrics.jsonl")).Length);
    }

    [Fact]
    public void Training_writes_metrics_summary_and_a_peft_adapter_that_learns_the_task()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();
        string[] overrides = ["training.epochs=25", "training.learning_rate=3.0e-2", "method.modules_to_save=[classifier, pooler.dense]"];

        var summary = Train(adapter, runs.Combine("run"), overrides);
        var spec = AdapterSpecLoader.Load(adapter.Directory, overrides);
        var report = EvaluateRecipe.Run(spec, runs.Combine("run", "adapter"), [], "cpu", null);

        // What was trained: LoRA r=4 on query and value (A: [4, in], B: [out, 4]) and full copies of the two heads.
        using var model = ModelLoader.Load(spec.BaseModel);
        var layers = model.LinearLayers().ToList();
        var lora = layers.Where(l => l.Name.EndsWith(".query", StringComparison.Ordinal) || l.Name.EndsWith(".value", StringComparison.Ordinal))
            .Sum(l => 4 * (l.Layer.InFeatures + l.Layer.OutFeatures));
        var pooler = layers.Single(l => l.Name == "bert.pooler.dense").Layer;
        var classifier = layers.Single(l => l.Name == "classifier").Layer;
        // the classifier head is rebuilt for the task's three labels before its copy is taken
        var heads = pooler.InFeatures * pooler.OutFeatures + pooler.OutFeatures + classifier.InFeatures * 3 + 3;
        Assert.Equal(lora + heads, summary.TrainableParams);
        var baseParams = model.Module.parameters().Sum(p => p.numel()) - (classifier.InFeatures + 1) * classifier.OutFeatures + (classifier.InFeatures + 1) * 3;
        Assert.Equal(baseParams + summary.TrainableParams, summary.TotalParams);
        Assert.Equal(["blue", "green", "red"], summary.Labels);
        Assert.Equal(24, summary.Examples);
        Assert.Equal(25 * 24 / 4, summary.Steps);
        Assert.Equal(25.0, summary.Epochs);
        Assert.Equal("cpu", summary.Device);
        Assert.Equal(new FileInfo(runs.Combine("run", "adapter", "adapter_model.safetensors")).Length, summary.AdapterBytes);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["data/train.jsonl"] = DataFile.Sha256(adapter.Combine("data", "train.jsonl")),
                ["data/validation.jsonl"] = DataFile.Sha256(adapter.Combine("data", "validation.jsonl")),
            },
            summary.DataSha256);
        Assert.Equal(SpecText.Flatten(spec), summary.Spec);
        Assert.Equal("25", summary.Spec["training.epochs"]);

        // train.json holds the same summary and one curve point per step; metrics.jsonl one loss line per step.
        var (written, curve) = TrainRunJson.Read(runs.Combine("run", "train.json"));
        Assert.Equal(
            (summary.Steps, summary.TrainableParams, summary.TotalParams, summary.AdapterBytes, summary.BestStep, summary.BestMetric, summary.SpecSha256),
            (written.Steps, written.TrainableParams, written.TotalParams, written.AdapterBytes, written.BestStep, written.BestMetric, written.SpecSha256));
        Assert.Equal(summary.Labels, written.Labels);
        Assert.Equal(Enumerable.Range(1, summary.Steps), curve.Select(c => c.Step));
        Assert.True(curve[^1].Loss < curve[0].Loss / 2, $"training loss {curve[0].Loss} -> {curve[^1].Loss}");
        Assert.False(Directory.Exists(runs.Combine("run", "checkpoint")));
        Assert.Equal(summary.Steps, File.ReadAllLines(runs.Combine("run", "metrics.jsonl")).Count(l => l.Contains("\"loss\"", StringComparison.Ordinal)));

        // The evaluation scores the test file and carries the run's own facts.
        var suite = Assert.Single(report.Suites);
        Assert.Equal(12, suite.Examples.Count);
        Assert.True(suite.Adapted.Metrics["accuracy"] >= 0.9, $"adapted accuracy {suite.Adapted.Metrics["accuracy"]}");
        Assert.Equal(suite.Examples.Count(e => e.Adapted.Correct == true) / 12.0, suite.Adapted.Metrics["accuracy"], 12);
        var training = report.Training!;
        Assert.Equal(
            (summary.Steps, summary.Epochs, summary.Device, summary.TrainableParams, summary.TotalParams, summary.AdapterBytes, summary.BestStep),
            (training.Steps, training.Epochs, training.Device, training.TrainableParams, training.TotalParams, training.AdapterBytes, training.BestStep));
        Assert.Equal(curve, training.Curve);
        var latency = report.Latency!;
        Assert.Equal(12, latency.Examples);
        Assert.All(new[] { latency.BaseMs, latency.AdapterMs, latency.MergedMs }, ms => Assert.InRange(ms, 1e-6, 10_000));
    }

    [Fact]
    public void Early_stopping_on_loss_keeps_the_epoch_whose_validation_loss_is_lowest()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();

        var summary = Train(adapter, runs.Combine("run"), "training.epochs=6", "training.learning_rate=3.0e-2",
            "method.modules_to_save=[classifier, pooler.dense]", "training.early_stopping={metric: loss, patience: 6}");

        var losses = File.ReadLines(runs.Combine("run", "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("validation", out _))
            .Select(e => (Step: e.GetProperty("step").GetInt32(), Loss: e.GetProperty("validation").GetProperty("loss").GetDouble()))
            .ToList();
        // The saved adapter's own validation cross-entropy, computed here: -1/N sum log p(gold).
        var spec = AdapterSpecLoader.Load(adapter.Directory);
        using var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { ClassLabels = summary.Labels });
        new PeftModel(model).LoadAdapter(runs.Combine("run", "adapter"), TrainRecipe.AdapterName);
        var validation = DataFile.ReadLabeled(adapter.Combine("data", "validation.jsonl"));
        var probabilities = Predictor.Probabilities(model, validation.Select(v => v.Text).ToList(), spec.Task.MaxLength);
        var savedLoss = -validation.Select((v, i) => Math.Log(probabilities[i][summary.Labels.ToList().IndexOf(v.Label)])).Average();

        Assert.Equal("loss", summary.EarlyStoppingMetric);
        Assert.Equal(6, losses.Count);
        Assert.True(losses.Max(l => l.Loss) > losses.Min(l => l.Loss) + 1e-3, string.Join(", ", losses));
        Assert.Equal(losses.MinBy(l => l.Loss), (summary.BestStep!.Value, summary.BestMetric!.Value));
        Assert.Equal(savedLoss, summary.BestMetric.Value, 1e-5);
    }

    [Fact]
    public void A_label_seen_only_in_evaluation_data_is_named_with_file_and_line()
    {
        using var adapter = new TinyAdapter();
        File.AppendAllText(adapter.Combine("data", "test.jsonl"), "{\"text\": \"paint it sky\", \"label\": \"purple\"}\n");
        using var runs = new TempDirectory();

        var error = Assert.Throws<InputException>(() => Train(adapter, runs.Combine("run")));

        Assert.Equal($"{adapter.Combine("data", "test.jsonl")}:13: label 'purple' does not occur in the training data (expected one of: blue, green, red)", error.Message);
        Assert.False(Directory.Exists(runs.Combine("run")));
    }

    private static TrainSummary Train(TinyAdapter adapter, string outDir, params string[] overrides)
    {
        using var progress = new TrainProgress(QuietConsole(), interactive: false);
        return TrainRecipe.Run(AdapterSpecLoader.Load(adapter.Directory, overrides), new TrainOptions(outDir), progress, CancellationToken.None);
    }

    private static IAnsiConsole QuietConsole() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
}
