using PeftOps.Contracts;
using System.Runtime.InteropServices;
using System.Text.Json;
using PeftOps.Configuration;
using PeftOps.Evaluation.Statistics;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Peft;
using PeftOps.TestSupport;
using PeftOps.Training.Data;
using PeftOps.Training.Evaluating;
using PeftOps.Inference;
using PeftOps.Training.Trainer;
using Spectre.Console;

namespace PeftOps.Training.Tests;

/// <summary>scope.out_of_scope on the tiny colour task: messages of filler words only, with no colour cue, are out of scope.</summary>
[Collection(TorchRngCollection.Name)]
public sealed class ScopeTests
{
    private const string Scope = "scope: {out_of_scope: {data: data/out_of_scope.jsonl, validation: data/out_of_scope_validation.jsonl, method: oos-class, target_in_scope_recall: 0.9}}";

    private static readonly string[] Learn = ["training.epochs=25", "training.learning_rate=3.0e-2", "method.modules_to_save=[classifier, pooler.dense]"];

    [Fact]
    public void An_oos_class_adapter_learns_to_refuse_with_a_threshold_calibrated_on_validation_only()
    {
        using var adapter = ScopedAdapter();
        using var runs = new TempDirectory();
        var overrides = Learn.Append("evaluation.non_target=[{name: off-topic, kind: out-of-scope, data: data/off_topic.jsonl}]").ToArray();
        var spec = AdapterSpecLoader.Load(adapter.Directory, overrides);

        var summary = Train(spec, runs.Combine("run"));
        var scope = AdapterMetadata.Read(runs.Combine("run", "adapter")).Scope!;

        Assert.Equal(["blue", "green", "red", OutOfScopeSpec.Label], summary.Labels);
        Assert.Equal(48, summary.Examples); // 24 in scope + 24 out of scope
        Assert.Equal((ScopeMethod.OosClass, OutOfScopeSpec.Label, 0.9), (scope.Method, scope.OosLabel, scope.TargetInScopeRecall));
        Assert.Equal(scope, summary.Scope);
        Assert.Equal(scope.Threshold, TrainRunJson.Read(runs.Combine("run", "train.json")).Summary.Scope!.Threshold);
        Assert.Contains("data/out_of_scope.jsonl", summary.DataSha256.Keys);

        // The threshold is the 0.1-quantile of the top in-scope probability over the in-scope validation messages, recomputed here
        // from the saved adapter: neither the test data nor the out-of-scope messages move it.
        using (var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { ClassLabels = summary.Labels }))
        {
            new PeftModel(model).LoadAdapter(runs.Combine("run", "adapter"), TrainRecipe.AdapterName);
            var validation = DataFile.ReadLabeled(adapter.Combine("data", "validation.jsonl"));
            var confidences = Predictor.Probabilities(model, [.. validation.Select(v => v.Text)], spec.Task.MaxLength)
                .Select(p => (double)p.Take(3).Max()).ToList();
            Assert.Equal(PairedBootstrap.Quantile([.. confidences.Order()], 0.1), scope.Threshold, 6);
        }

        // eval.json: the off-topic rows, then the target suite's in-scope rows, and every out-of-scope metric.
        var report = EvaluateRecipe.Run(spec, runs.Combine("run", "adapter"), [], "cpu", null);
        var offTopic = report.Suites.Single(s => s.Name == "off-topic");
        Assert.Equal(6 + 12, offTopic.Examples.Count);
        Assert.All(offTopic.Examples.Take(6), e => Assert.Null(e.Gold));
        Assert.All(offTopic.Examples.Skip(6), e => Assert.StartsWith("colours:", e.Id, StringComparison.Ordinal));
        Assert.Equal(scope.Threshold, offTopic.Threshold!.Adapted);
        Assert.Equal(MetricNames.For(SuiteKind.OutOfScope), offTopic.Adapted.Metrics.Keys);
        Assert.Equal(MetricNames.For(SuiteKind.OutOfScope), offTopic.Base.Metrics.Keys);
        var m = offTopic.Adapted.Metrics;
        Assert.Equal(m["rejection_rate"], m["oos_recall"]);
        Assert.Equal(offTopic.Examples.Take(6).Count(e => e.Adapted.Correct == true) / 6.0, m["oos_recall"], 12);
        Assert.True(m["oos_recall"] >= 0.5 && m["in_scope_accuracy"] >= 0.5 && m["auroc"] >= 0.8, JsonSerializer.Serialize(m));

        // one forward pass per text and model: an in-scope row carries the very numbers the target suite has for its line
        // (batched with the off-topic messages, a second pass would pad differently and move the last digits)
        var colours = report.Suites.Single(s => s.Name == "colours").Examples.ToDictionary(e => $"colours:{e.Id}");
        foreach (var row in offTopic.Examples.Skip(6))
        {
            foreach (var (target, here) in new[] { (colours[row.Id].Base, row.Base), (colours[row.Id].Adapted, row.Adapted) })
            {
                if (target.Prediction == OutOfScopeSpec.Label)
                    continue; // the out-of-scope class won: the suite scores it, the scope rule the best in-scope class
                Assert.Equal(target.Prediction, here.Prediction);
                Assert.Equal(target.Score, here.Score);
            }
        }
    }

    [Fact]
    public void A_mahalanobis_scope_fits_class_statistics_on_the_training_messages_and_thresholds_the_distance_to_them()
    {
        using var adapter = ScopedAdapter();
        using var runs = new TempDirectory();
        var spec = AdapterSpecLoader.Load(adapter.Directory, [.. Learn, "scope.out_of_scope.score=mahalanobis",
            "evaluation.non_target=[{name: off-topic, kind: out-of-scope, data: data/off_topic.jsonl}]"]);

        var summary = Train(spec, runs.Combine("run"));
        var scope = AdapterMetadata.Read(runs.Combine("run", "adapter")).Scope!;

        Assert.Equal((ScopeMethod.OosClass, ScopeScore.Mahalanobis, 0.9), (scope.Method, scope.Score, scope.TargetInScopeRecall));
        Assert.Equal(scope, summary.Scope);
        using var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { ClassLabels = summary.Labels });
        new PeftModel(model).LoadAdapter(runs.Combine("run", "adapter"), TrainRecipe.AdapterName);
        var hidden = model.Bert!.HiddenSize;
        Assert.Equal((3, hidden), (scope.Distance!.Classes, scope.Distance.Dim));

        // The stored means are the per-class means of the normalised pooled features of the in-scope training messages,
        // recomputed here from the saved adapter; the out-of-scope training messages take no part.
        var train = DataFile.ReadLabeled(adapter.Combine("data", "train.jsonl"));
        var rows = Predictor.Classify(model, [.. train.Select(t => t.Text)], spec.Task.MaxLength);
        var means = MemoryMarshal.Cast<byte, float>(scope.Distance.Means).ToArray();
        for (var c = 0; c < 3; c++)
        {
            var members = rows.Where((_, i) => train[i].Label == summary.Labels[c]).ToList();
            for (var h = 0; h < hidden; h += 7)
                Assert.Equal(members.Average(r => r.Features[h]), means[c * hidden + h], 4);
        }

        // The threshold accepts 90% of the in-scope validation messages: the 0.9-quantile of their distance.
        var validation = DataFile.ReadLabeled(adapter.Combine("data", "validation.jsonl"));
        var distance = new MahalanobisDistance(scope.Distance);
        var distances = Predictor.Classify(model, [.. validation.Select(v => v.Text)], spec.Task.MaxLength).Select(r => distance.Distance(r.Features)).ToList();
        Assert.Equal(PairedBootstrap.Quantile([.. distances.Order()], 0.9), scope.Threshold, 6);
        Assert.True(scope.Threshold > 0);

        // evaluate decides as the adapter says and ranks by minus the distance; the base model keeps the confidence threshold.
        var report = EvaluateRecipe.Run(spec, runs.Combine("run", "adapter"), [], "cpu", null);
        var offTopic = report.Suites.Single(s => s.Name == "off-topic");
        Assert.Equal(scope.Threshold, offTopic.Threshold!.Adapted);
        var offTopicRows = Predictor.Classify(model, [.. offTopic.Examples.Select(e => e.Text)], spec.Task.MaxLength);
        for (var i = 0; i < offTopic.Examples.Count; i++)
        {
            var d = distance.Distance(offTopicRows[i].Features);
            Assert.Equal(-d, offTopic.Examples[i].Adapted.Score!.Value, 4);
            var oosWins = offTopicRows[i].Probabilities[3] > offTopicRows[i].Probabilities.Take(3).Max();
            var refused = offTopic.Examples[i].Gold is null ? offTopic.Examples[i].Adapted.Correct == true : offTopic.Examples[i].Adapted.Correct == false;
            Assert.Equal(oosWins || d > scope.Threshold, refused);
            Assert.InRange(offTopic.Examples[i].Base.Score!.Value, 0, 1);
        }
        Assert.True(offTopic.Adapted.Metrics["auroc"] >= 0.8, JsonSerializer.Serialize(offTopic.Adapted.Metrics));
    }

    [Fact]
    public void Without_out_of_scope_training_messages_an_oos_class_spec_is_refused_before_training()
    {
        using var adapter = ScopedAdapter();
        using var runs = new TempDirectory();

        var error = Assert.Throws<InputException>(() =>
            AdapterSpecLoader.Load(adapter.Directory, ["scope.out_of_scope.data=null"]));

        Assert.Equal($"{adapter.Combine("adapter.yaml")}:12: scope.out_of_scope.method oos-class needs out-of-scope training messages: "
            + "scope.out_of_scope.data, or scope.in_scope_labels leaving some training labels out (was neither)", error.Message);
    }

    [Fact]
    public void In_scope_labels_turn_the_other_training_labels_into_out_of_scope_examples()
    {
        using var adapter = ScopedAdapter();
        using var runs = new TempDirectory();
        var spec = AdapterSpecLoader.Load(adapter.Directory, ["scope.in_scope_labels=[blue, red]", "scope.out_of_scope.data=null",
            "evaluation.target=[{name: colours, data: data/test_blue_red.jsonl}]", "gate.target=[{metric: colours.accuracy, min: 0.0}]"]);

        var summary = Train(spec, runs.Combine("run"));

        Assert.Equal(["blue", "red", OutOfScopeSpec.Label], summary.Labels);
        Assert.Equal(24, summary.Examples); // 16 blue and red, 8 green as out of scope
    }

    private static TinyAdapter ScopedAdapter()
    {
        var adapter = new TinyAdapter(Scope);
        string[] train = ["i like it", "my paint is the", "i want a", "see it", "it is my", "the colour of it", "i see the", "a paint of my",
            "want the paint", "it is a colour", "my colour is it", "i want it", "the paint is", "see my colour", "is it a", "of the paint",
            "i like a colour", "my paint", "the i want", "a colour of it", "i see a paint", "it is the colour", "want my", "like it is"];
        string[] validation = ["paint it", "i like my colour", "the want is", "see a colour"];
        string[] test = ["i like the paint", "my colour", "it is", "want a paint", "the colour is my", "see it is"];
        File.WriteAllLines(adapter.Combine("data", "out_of_scope.jsonl"), train.Select(t => $"{{\"text\": \"{t}\"}}"));
        File.WriteAllLines(adapter.Combine("data", "out_of_scope_validation.jsonl"), validation.Select(t => $"{{\"text\": \"{t}\"}}"));
        File.WriteAllLines(adapter.Combine("data", "off_topic.jsonl"), test.Select(t => $"{{\"text\": \"{t}\"}}"));
        File.WriteAllLines(adapter.Combine("data", "test_blue_red.jsonl"),
            File.ReadAllLines(adapter.Combine("data", "test.jsonl")).Where(l => !l.Contains("\"green\"", StringComparison.Ordinal)));
        return adapter;
    }

    private static TrainSummary Train(AdapterSpec spec, string outDir)
    {
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);
        return TrainRecipe.Run(spec, new TrainOptions(outDir), progress, CancellationToken.None);
    }
}
