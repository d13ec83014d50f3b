using System.Text.Json;
using System.Text.Json.Nodes;
using PeftOps.Contracts;
using PeftOps.Inference;
using PeftOps.Modeling.Safetensors;
using PeftOps.Modeling.Tokenization;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Cli.Tests;

/// <summary>
/// The inference paths of the CLI share one rule: the model runs in evaluation mode (so an adapter's dropout never
/// changes an answer), and an adapter that saves a classifier runs on a head of its own labels, whether PeftOps trained
/// it (<c>peftops.labels</c>) or HF PEFT saved it (labels from the base config's <c>id2label</c> or <c>--labels</c>).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class InferenceTests : IClassFixture<InferenceTests.DropoutAdapter>
{
    private readonly DropoutAdapter trained;

    public InferenceTests(DropoutAdapter trained) => this.trained = trained;

    /// <summary>TinyAdapter (three labels on the five-label tiny BERT) trained once with LoRA dropout 0.5.</summary>
    public sealed class DropoutAdapter : IAsyncLifetime, IDisposable
    {
        public TinyAdapter Spec { get; } = new();
        public TempDirectory Runs { get; } = new();
        public string Adapter => Runs.Combine("run", "adapter");
        public string Base => Spec.Combine("..", "model");

        public async Task InitializeAsync()
        {
            var result = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), ["train", Spec.Directory, "--out", Runs.Combine("run"), "--set", "method.dropout=0.5"]);
            Assert.True(result.ExitCode == 0, result.Stderr);
            File.WriteAllLines(Spec.Combine("data", "inputs.txt"), ["paint it red fire", "the colour of the sky", "i see moss"]);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose()
        {
            Spec.Dispose();
            Runs.Dispose();
        }
    }

    [Fact]
    public async Task Every_inference_path_answers_twice_alike_on_an_adapter_with_dropout()
    {
        var inputs = WriteInputs(trained.Runs.Combine("io.safetensors"));
        var input = trained.Spec.Combine("data", "inputs.txt");
        var jsonl = trained.Spec.Combine("data", "test.jsonl");
        async Task<byte[]> Twice(Func<string, string[]> args)
        {
            var outputs = new List<byte[]>();
            foreach (var n in new[] { "1", "2" })
            {
                var output = trained.Runs.Combine($"out{n}");
                var result = await PeftOpsRunner.InProcess(args(output));
                Assert.True(result.ExitCode == 0, $"{string.Join(' ', args(output))}: exit {result.ExitCode}: {result.Stderr}");
                outputs.Add(Directory.Exists(output) ? Suites(Path.Combine(output, "eval.json")) : await File.ReadAllBytesAsync(output));
                if (Directory.Exists(output))
                    Directory.Delete(output, recursive: true);
                else
                    File.Delete(output);
            }
            Assert.Equal(outputs[0], outputs[1]);
            return outputs[0];
        }

        await Twice(o => ["forward", "--base", trained.Base, "--adapter", trained.Adapter, "--inputs", inputs, "--out", o]);
        await Twice(o => ["predict", "--base", trained.Base, "--adapter", trained.Adapter, "--input", jsonl, "--out", o, "--max-length", "16"]);
        await Twice(o => ["embed", "--base", trained.Base, "--adapter", trained.Adapter, "--input", input, "--out", o]);
        await Twice(o => ["evaluate", trained.Spec.Directory, "--adapter", trained.Adapter, "--out", o]);

        // a decoder: the qwen2 LoRA fixture with dropout 0.5 generates the same tokens each time
        var decoder = CopyWithDropout(Path.Combine(TestPaths.HfPeftDecoderFixtures, "qwen2-lora"), trained.Runs.Combine("qwen2-dropout"));
        var prompts = trained.Runs.Combine("prompts.jsonl");
        await File.WriteAllLinesAsync(prompts, ["""{"id": "a", "input_ids": [5, 9, 14]}""", """{"id": "b", "input_ids": [7, 3]}"""]);
        await Twice(o => ["generate", "--base", Path.Combine(TestPaths.HfPeftDecoderFixtures, "tiny-qwen2"), "--adapter", decoder, "--input", prompts, "--out", o, "--max-new-tokens", "6"]);
    }

    [Fact]
    public async Task Forward_runs_an_adapter_on_a_head_of_its_own_labels_as_predict_does()
    {
        // the base checkpoint's head has five labels, the adapter's classifier three: forward used to refuse it
        var inputs = WriteInputs(trained.Runs.Combine("head-io.safetensors"));
        var forwarded = trained.Runs.Combine("head-logits.safetensors");
        var result = await PeftOpsRunner.InProcess("forward", "--base", trained.Base, "--adapter", trained.Adapter, "--inputs", inputs, "--out", forwarded);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var probabilities = nn.functional.softmax(SafetensorsTorch.Load(forwarded)["logits"], -1);
        Assert.Equal([3L, 3L], probabilities.shape);

        var texts = trained.Runs.Combine("head-texts.jsonl");
        await File.WriteAllLinesAsync(texts, Texts.Select(t => JsonSerializer.Serialize(new { text = t })));
        var predicted = trained.Runs.Combine("head-predicted.jsonl");
        result = await PeftOpsRunner.InProcess("predict", "--base", trained.Base, "--adapter", trained.Adapter, "--input", texts, "--out", predicted, "--max-length", "16");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = (await File.ReadAllLinesAsync(predicted)).Select(l => JsonNode.Parse(l)!["scores"]!.AsObject()).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            // scores are in the adapter's label id order: blue, green, red
            Assert.Equal(["blue", "green", "red"], lines[i].Select(p => p.Key));
            for (var j = 0; j < 3; j++)
                Assert.Equal(probabilities[i, j].item<float>(), lines[i].ElementAt(j).Value!.GetValue<double>(), 5);
        }
    }

    [Fact]
    public async Task An_adapter_saved_by_hf_peft_predicts_with_labels_from_id2label_or_a_labels_file()
    {
        var hfAdapter = Path.Combine(TestPaths.HfPeftFixtures, "bert-lora");
        var texts = trained.Spec.Combine("data", "test.jsonl");
        async Task<List<JsonObject>> Predict(string output, params string[] extra)
        {
            var result = await PeftOpsRunner.InProcess(["predict", "--base", trained.Base, "--adapter", hfAdapter, "--input", texts, "--out", output, "--max-length", "16", .. extra]);
            Assert.True(result.ExitCode == 0, result.Stderr);
            return [.. File.ReadLines(output).Select(l => JsonNode.Parse(l)!.AsObject())];
        }

        var byConfig = await Predict(trained.Runs.Combine("hf-id2label.jsonl"));
        var labelsFile = trained.Runs.Combine("labels.txt");
        await File.WriteAllLinesAsync(labelsFile, ["north", "east", "south", "west", "up"]);
        var byFile = await Predict(trained.Runs.Combine("hf-file.jsonl"), "--labels", labelsFile);

        Assert.Equal(["LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3", "LABEL_4"], byConfig[0]["scores"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["north", "east", "south", "west", "up"], byFile[0]["scores"]!.AsObject().Select(p => p.Key));
        for (var i = 0; i < byConfig.Count; i++)
        {
            Assert.Equal(byConfig[i]["scores"]!.AsObject().Select(p => p.Value!.GetValue<double>()), byFile[i]["scores"]!.AsObject().Select(p => p.Value!.GetValue<double>()));
            var top = byConfig[i]["scores"]!.AsObject().MaxBy(p => p.Value!.GetValue<double>()).Key;
            Assert.Equal(top, byConfig[i]["label"]!.GetValue<string>());
        }

        // a labels file that does not fit the saved classifier is bad input, and so is one for an adapter that has its own
        await File.WriteAllLinesAsync(labelsFile, ["north", "east", "south"]);
        var misfit = await PeftOpsRunner.InProcess("predict", "--base", trained.Base, "--adapter", hfAdapter, "--input", texts, "--out", trained.Runs.Combine("x.jsonl"), "--labels", labelsFile);
        Assert.Equal(2, misfit.ExitCode);
        Assert.Contains($"--labels {labelsFile}: 3 labels, but the classifier in {Path.Combine(hfAdapter, "adapter_model.safetensors")} has 5 classes", misfit.Stderr, StringComparison.Ordinal);
        var own = await PeftOpsRunner.InProcess("predict", "--base", trained.Base, "--adapter", trained.Adapter, "--input", texts, "--out", trained.Runs.Combine("x.jsonl"), "--labels", labelsFile);
        Assert.Equal(2, own.ExitCode);
        Assert.Contains("carries its own labels (peftops.labels: blue, green, red); drop --labels", own.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(trained.Runs.Combine("x.jsonl")));
    }

    [Fact]
    public async Task An_adapter_saved_by_hf_peft_is_evaluated_with_its_labels_from_a_labels_file()
    {
        var hfAdapter = Path.Combine(TestPaths.HfPeftFixtures, "bert-lora");
        var labelsFile = trained.Runs.Combine("colours.txt");
        await File.WriteAllLinesAsync(labelsFile, ["red", "green", "blue", "other", "none"]);
        var output = trained.Runs.Combine("hf-eval");

        var refused = await PeftOpsRunner.InProcess("evaluate", trained.Spec.Directory, "--adapter", hfAdapter, "--out", output);
        var result = await PeftOpsRunner.InProcess("evaluate", trained.Spec.Directory, "--adapter", hfAdapter, "--out", output, "--labels", labelsFile);

        // the base's id2label (LABEL_0 ..) does not name the suite's colours
        Assert.Equal(2, refused.ExitCode);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var suite = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval.json")))!["suites"]![0]!;
        Assert.Equal(["red", "green", "blue", "other", "none"], suite["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(12, suite["examples"]!.AsArray().Count);

        // a released version keeps this eval.json: its class_labels name the classes wherever it is served
        var evalPath = Path.Combine(output, "eval.json");
        var report = EvaluationReportJson.Read(evalPath);
        var hf = AdapterMetadata.Read(hfAdapter);
        Assert.Equal(["red", "green", "blue", "other", "none"], report.ClassLabels);
        Assert.Equal(report.ClassLabels, AdapterHead.Released(hf, trained.Base, report, evalPath));
        Assert.Equal(["LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3", "LABEL_4"], AdapterHead.Released(hf, trained.Base, report with { ClassLabels = null }, evalPath));
        var other = Assert.Throws<InputException>(() => AdapterHead.Released(AdapterMetadata.Read(trained.Adapter), trained.Base, report, evalPath));
        Assert.Equal($"{evalPath}: class_labels (red, green, blue, other, none) are not the labels {Path.Combine(trained.Adapter, "adapter_model.safetensors")} carries (blue, green, red): this eval.json measured another adapter", other.Message);
    }

    private static readonly string[] Texts = ["paint it red fire", "the colour of the sky", "i see moss"];

    /// <summary><see cref="Texts"/> as input_ids and attention_mask, tokenized with the base's vocabulary as predict tokenizes them.</summary>
    private string WriteInputs(string path)
    {
        var encoded = BertWordPieceTokenizer.FromVocabFile(Path.Combine(trained.Base, "vocab.txt")).EncodeBatch(Texts, 16);
        long[] shape = [encoded.BatchSize, encoded.SequenceLength];
        using var scope = NewDisposeScope();
        SafetensorsTorch.Save(path, [("input_ids", tensor(encoded.InputIds, shape)), ("attention_mask", tensor(encoded.AttentionMask, shape))]);
        return path;
    }

    /// <summary>The eval.json suites (the examples and their scores), without the timing and date that differ between runs.</summary>
    private static byte[] Suites(string evalJson) =>
        System.Text.Encoding.UTF8.GetBytes(JsonNode.Parse(File.ReadAllText(evalJson))!["suites"]!.ToJsonString());

    private static string CopyWithDropout(string adapter, string target)
    {
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(adapter, "adapter_model.safetensors"), Path.Combine(target, "adapter_model.safetensors"));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, "adapter_config.json")))!;
        config["lora_dropout"] = 0.5;
        File.WriteAllText(Path.Combine(target, "adapter_config.json"), config.ToJsonString());
        return target;
    }
}
