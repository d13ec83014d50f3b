using PeftOps.Inference;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Peft;
using PeftOps.TestSupport;
using PeftOps.Training.Data;
using PeftOps.Training.Trainer;
using Spectre.Console;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PeftOps.Training.Tests;

/// <summary>
/// <c>training.preserve_embeddings</c>: an extra loss that holds the adapted encoder's sentence embeddings of the
/// training texts near the base model's, so that an adapter learns its task while its embedding space moves less.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class EmbeddingPreservationTests(ITestOutputHelper output)
{
    private static readonly string[] Learns = ["training.epochs=25", "training.learning_rate=3.0e-2", "method.modules_to_save=[classifier, pooler.dense]"];

    [Fact]
    public void The_adapted_encoder_stays_near_the_base_model_and_still_learns_the_task()
    {
        using var adapter = new TinyAdapter();
        using var runs = new TempDirectory();

        var free = Train(adapter, runs.Combine("free"), Learns);
        var kept = Train(adapter, runs.Combine("kept"), [.. Learns, "training.preserve_embeddings=5"]);

        var spec = AdapterSpecLoader.Load(adapter.Directory);
        var texts = DataFile.ReadLabeled(adapter.Combine("data", "train.jsonl")).Select(e => e.Text).ToList();
        var before = Embeddings(spec, null, texts);
        var freeDrift = MeanDrift(before, Embeddings(spec, runs.Combine("free", "adapter"), texts));
        var keptDrift = MeanDrift(before, Embeddings(spec, runs.Combine("kept", "adapter"), texts));

        output.WriteLine($"mean 1 - cosine to the base model's embeddings: {freeDrift:F4} without, {keptDrift:F4} with; validation macro_f1 {free.BestMetric:F3} without, {kept.BestMetric:F3} with");
        Assert.True(freeDrift > 0.05, $"without preservation the task moves the embeddings (mean 1 - cosine {freeDrift:F4})");
        Assert.True(keptDrift < freeDrift / 3, $"preservation keeps them near the base model: mean 1 - cosine {keptDrift:F4} against {freeDrift:F4} without");
        Assert.True(kept.BestMetric >= 0.9, $"and the task is still learnt (validation macro_f1 {kept.BestMetric})");
        Assert.Equal("5", kept.Spec["training.preserve_embeddings"]);
        Assert.False(free.Spec.ContainsKey("training.preserve_embeddings")); // off: absent, so older specs hash as before
    }

    [Fact]
    public void Before_the_adapter_has_moved_anything_the_loss_adds_nothing()
    {
        using var adapter = new TinyAdapter();
        var spec = AdapterSpecLoader.Load(adapter.Directory);
        var data = new ClassificationData(spec);
        using var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { ClassLabels = data.Labels, Seed = 7 });
        using var anchor = EmbeddingAnchor.Take(model, data, batchSize: 5, CPU, weight: 3.0);
        var peft = new PeftModel(model);
        peft.AddAdapter(TrainRecipe.AdapterName, SpecToPeft.Map(spec), new Generator(7)); // B = 0: the identity
        model.Module.eval(); // no dropout: the same forward as the anchors'
        int[] rows = [3, 0, 17, 9];
        using var batch = data.Encode(model, rows, CPU);

        using var _ = no_grad();
        var (logits, embeddings) = model.LogitsAndEmbeddings(batch.InputIds, batch.AttentionMask);
        TensorAssert.Close(model.Logits(batch.InputIds, batch.AttentionMask), logits, 1e-6, "logits");
        Assert.Equal(0.0, anchor.Loss(embeddings, rows).item<float>(), 1e-5);

        // another text's anchor is far: the loss is weight x (1 - cosine) of the pairs, row by row
        int[] shifted = [0, 17, 9, 3];
        using var shiftedBatch = data.Encode(model, shifted, CPU);
        var others = model.Embed(shiftedBatch.InputIds, shiftedBatch.AttentionMask);
        var expected = 3.0 * (1.0 - (embeddings * others).sum(-1)).mean().item<float>();
        Assert.Equal(expected, anchor.Loss(embeddings, shifted).item<float>(), 1e-5);
        Assert.True(expected > 0.01);
    }

    private static TrainSummary Train(TinyAdapter adapter, string outDir, string[] overrides)
    {
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);
        return TrainRecipe.Run(AdapterSpecLoader.Load(adapter.Directory, overrides), new TrainOptions(outDir), progress, CancellationToken.None);
    }

    /// <summary>The base model's embeddings when <paramref name="adapterDir"/> is null, else the adapted model's.</summary>
    private static float[][] Embeddings(AdapterSpec spec, string? adapterDir, IReadOnlyList<string> texts)
    {
        using var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { ClassLabels = adapterDir is null ? ["blue", "green", "red"] : AdapterMetadata.Read(adapterDir).Labels! });
        if (adapterDir is not null)
            new PeftModel(model).LoadAdapter(adapterDir, TrainRecipe.AdapterName);
        return Predictor.Embeddings(model, texts, spec.Task.MaxLength);
    }

    private static double MeanDrift(float[][] a, float[][] b) =>
        a.Zip(b, (x, y) => 1.0 - x.Zip(y, (p, q) => (double)p * q).Sum()).Average();
}
