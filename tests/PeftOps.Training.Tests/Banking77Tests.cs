using PeftOps.Configuration;
using PeftOps.TestSupport;
using PeftOps.Training.Evaluating;
using PeftOps.Training.Trainer;
using Spectre.Console;
using Xunit.Abstractions;

namespace PeftOps.Training.Tests;

/// <summary>
/// Real data nobody here wrote: BANKING77 (Casanueva et al. 2020, CC BY 4.0) from ../shared. CI trains on a
/// documented subset, 10 examples per intent (the few-shot setting), and evaluates on the full test split;
/// published: USE+ConveRT 85.19 with 10 per intent, 93.36 with full data. The full-data run is
/// benchmarks/banking77 (see benchmarks/README.md).
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class Banking77Tests(ITestOutputHelper output)
{
    [SharedDataFact]
    public void Ten_examples_per_intent_train_an_adapter_far_above_chance_on_the_full_test_split()
    {
        var banking = Path.Combine(TestPaths.SharedDirectory!, "datasets", "banking77");
        using var temp = new TempDirectory();
        var folder = temp.Combine("banking77-10shot");
        Directory.CreateDirectory(folder);
        var subset = Training.Data.DataFile.ReadLabeled(Path.Combine(banking, "train.csv"))
            .GroupBy(e => e.Label).SelectMany(g => g.Take(10))
            .Select(e => $"\"{e.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{e.Label}");
        File.WriteAllLines(Path.Combine(folder, "train.csv"), ["text,category", .. subset]);
        File.WriteAllText(Path.Combine(folder, "adapter.yaml"), $"""
            name: banking77-10shot
            task: {"{"}type: sequence-classification, max_length: 64{"}"}
            method: {"{"}type: lora, r: 8, alpha: 16, dropout: 0.1, target_modules: [query, value], layers_to_transform: [3, 4, 5], modules_to_save: [classifier, pooler.dense]{"}"}
            data: {"{"}train: train.csv{"}"}
            training: {"{"}epochs: 8, batch_size: 32, learning_rate: 3.0e-3, seed: 42{"}"}
            evaluation:
              target:
                - {"{"}name: banking77, data: {Path.Combine(banking, "test.csv")}{"}"}
            gate:
              target: [{"{"}metric: banking77.accuracy, min: 0.5{"}"}]
            """);
        var spec = AdapterSpecLoader.Load(folder);
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);

        var summary = TrainRecipe.Run(spec, new TrainOptions(temp.Combine("run")), progress, CancellationToken.None);
        var report = EvaluateRecipe.Run(spec, temp.Combine("run", "adapter"), [], "cpu", null);

        var suite = Assert.Single(report.Suites);
        var accuracy = suite.Adapted.Metrics["accuracy"];
        output.WriteLine($"BANKING77, 10 per intent ({summary.Examples} examples, {summary.Seconds:F0} s): test accuracy {accuracy:P2} on {suite.Examples.Count} " +
            "examples; published with 10 per intent: USE+ConveRT 85.19%");
        Assert.Equal(77, summary.Labels.Count);
        Assert.Equal(3080, suite.Examples.Count);
        Assert.True(accuracy > 0.6, $"10-shot test accuracy {accuracy:P2}");
    }
}
