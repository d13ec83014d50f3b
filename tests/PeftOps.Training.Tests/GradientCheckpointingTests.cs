using System.Text.Json;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using PeftOps.TestSupport;
using PeftOps.Training.Trainer;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Training.Tests;

/// <summary>
/// <c>training.gradient_checkpointing</c> trades memory for a second forward pass and nothing else: the loss, every LoRA
/// gradient (LoRA dropout on) and a whole short training run are those of the plain backward.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class GradientCheckpointingTests
{
    private const double RelativeTolerance = 1e-5;
    private static readonly string[] AllProjections = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")] // q, k, v biases, tied embeddings
    public void Every_lora_gradient_is_the_plain_one(string shape)
    {
        using var temp = new TempDirectory();
        using var model = ModelLoader.Load(shape == "tiny-llama" ? Path.Combine(TestPaths.HfPeftFixtures, "tiny-llama") : TinyQwen(temp.Path));
        var peft = new PeftModel(model);
        peft.AddAdapter(TrainRecipe.AdapterName, new PeftAdapterConfig
        {
            R = 4,
            LoraAlpha = 8,
            LoraDropout = 0.1,
            TargetModules = AllProjections,
            TaskType = "CAUSAL_LM",
            InitLoraWeights = PeftInit.None, // B != 0: lora_A gets a gradient too
        }, new Generator(5));
        var parameters = peft.TrainableParameters();
        var ids = tensor(new long[,] { { 1, 17, 42, 7, 99, 3, 250, 11, 64, 2 }, { 1, 5, 64, 8, 300, 2, 0, 0, 0, 0 } });
        var mask = ids.ne(0).to(ScalarType.Int64);
        model.Module.train();

        (double Loss, Tensor[] Grads) Step(bool checkpointing)
        {
            model.GradientCheckpointing = checkpointing;
            foreach (var (_, p) in parameters)
                p.grad = null;
            manual_seed(13); // LoRA dropout
            using var scope = NewDisposeScope();
            var loss = model.Loss(model.Logits(ids, mask), null, ids, mask);
            loss.backward();
            return (loss.item<float>(), [.. parameters.Select(p => p.Parameter.grad!.clone().DetachFromDisposeScope())]);
        }
        var plain = Step(checkpointing: false);
        var checkpointed = Step(checkpointing: true);

        Assert.Equal(plain.Loss, checkpointed.Loss, plain.Loss * RelativeTolerance);
        Assert.Equal(2 * AllProjections.Length * model.Llama!.NumHiddenLayers, parameters.Count);
        for (var i = 0; i < parameters.Count; i++)
        {
            var scale = plain.Grads[i].abs().max().item<float>();
            Assert.True(scale > 0, $"{parameters[i].Name} has a gradient");
            TensorAssert.Close(plain.Grads[i], checkpointed.Grads[i], RelativeTolerance * scale, parameters[i].Name);
        }
    }

    [Fact]
    public void A_training_run_with_it_logs_the_same_losses_and_saves_the_same_adapter()
    {
        using var adapter = new TinyLlamaAdapter();
        using var runs = new TempDirectory();
        string[] common = ["training.max_steps=4", "method.dropout=0.1"];

        var plain = Train(AdapterSpecLoader.Load(adapter.Directory, common), runs.Combine("plain"));
        var spec = AdapterSpecLoader.Load(adapter.Directory, [.. common, "training.gradient_checkpointing=true"]);
        var checkpointed = Train(spec, runs.Combine("checkpointed"));

        Assert.True(spec.Training.GradientCheckpointing);
        Assert.Equal("true", checkpointed.Summary.Spec["training.gradient_checkpointing"]);
        Assert.False(plain.Summary.Spec.ContainsKey("training.gradient_checkpointing")); // off: absent, so older specs hash as before
        Assert.Equal(4, plain.Losses.Count);
        Assert.Equal(plain.Losses.Count, checkpointed.Losses.Count);
        for (var i = 0; i < plain.Losses.Count; i++)
            Assert.Equal(plain.Losses[i], checkpointed.Losses[i], plain.Losses[i] * RelativeTolerance);
        Assert.Equal(plain.Summary.BestMetric!.Value, checkpointed.Summary.BestMetric!.Value, plain.Summary.BestMetric.Value * RelativeTolerance);
        var a = Modeling.Safetensors.SafetensorsTorch.Load(runs.Combine("plain", "adapter", "adapter_model.safetensors"));
        var b = Modeling.Safetensors.SafetensorsTorch.Load(runs.Combine("checkpointed", "adapter", "adapter_model.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, weight) in a)
            TensorAssert.Close(weight, b[name], RelativeTolerance * weight.abs().max().item<float>(), name);
    }

    private static (TrainSummary Summary, List<double> Losses) Train(AdapterSpec spec, string outDir)
    {
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);
        var summary = TrainRecipe.Run(spec, new TrainOptions(outDir), progress, CancellationToken.None);
        var losses = File.ReadLines(Path.Combine(outDir, "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("loss", out _))
            .Select(e => e.GetProperty("loss").GetDouble())
            .ToList();
        return (summary, losses);
    }

    private static string TinyQwen(string folder)
    {
        SyntheticCheckpoint.Write(folder, SyntheticCheckpoint.Shapes["qwen2.5-0.5b"] with
        {
            VocabSize = 512, HiddenSize = 32, IntermediateSize = 48, Layers = 2, Heads = 4, KvHeads = 2,
        }, ScalarType.Float32, seed: 4);
        return folder;
    }
}
