using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// Adapters saved by Hugging Face PEFT (tests/data/hf-peft, see its README) compute, in PeftOps, the
/// same logits, loss, gradients and merged logits as in PEFT, within 1e-5 absolute in float32.
/// </summary>
public sealed class HfPeftParityTests
{
    [Theory]
    [MemberData(nameof(Reference.FixtureAdapters), MemberType = typeof(Reference))]
    public void Logits_loss_gradients_and_merged_logits_match_peft(string adapterCase, string baseFolder)
    {
        var (model, peft, io, expected) = Load(adapterCase, baseFolder);
        using var _ = model;
        var ids = io["input_ids"];
        var mask = io["attention_mask"];
        var labels = io.GetValueOrDefault("labels");

        using (no_grad())
            TensorAssert.Close(expected["logits"], model.Logits(ids, mask), 1e-5, "logits");

        var loss = model.Loss(model.Logits(ids, mask), labels, ids, mask);
        loss.backward();
        TensorAssert.Close(expected["loss"], loss.reshape(1), 1e-5, "loss");
        var trainable = peft.TrainableParameters();
        var expectedGrads = expected.Keys.Where(k => k.StartsWith("grad.", StringComparison.Ordinal)).Select(k => k[5..]).Order(StringComparer.Ordinal);
        Assert.Equal(expectedGrads, trainable.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var (name, parameter) in trainable)
            TensorAssert.Close(expected["grad." + name], parameter.grad!, 1e-5, $"gradient of {name}");

        peft.Merge();
        using (no_grad())
            TensorAssert.Close(expected["merged_logits"], model.Logits(ids, mask), 1e-5, "merged logits");
    }

    [Theory]
    [MemberData(nameof(Reference.FixtureAdapters), MemberType = typeof(Reference))]
    public void Merge_then_unmerge_restores_the_base_weights(string adapterCase, string baseFolder)
    {
        var (model, peft, _, _) = Load(adapterCase, baseFolder);
        using var _ = model;
        var before = model.Module.named_parameters().Where(p => !p.parameter.requires_grad)
            .ToDictionary(p => p.name, p => p.parameter.detach().clone());

        peft.Merge();
        peft.Unmerge();

        foreach (var (name, parameter) in model.Module.named_parameters().Where(p => before.ContainsKey(p.name)))
            TensorAssert.Close(before[name], parameter, 1e-6, $"{name} after merge and unmerge");
    }

    [Theory]
    [MemberData(nameof(Reference.FixtureAdapters), MemberType = typeof(Reference))]
    public void Trainable_parameter_counts_match_peft(string adapterCase, string baseFolder)
    {
        var expected = new Dictionary<string, long>
        {
            ["bert-lora"] = 1189, ["bert-lora-default-init"] = 1189, ["bert-dora"] = 1317, ["bert-ia3"] = 485, ["llama-lora"] = 8192,
        };
        var (model, peft, _, _) = Load(adapterCase, baseFolder);
        using var _ = model;

        var (trainable, total) = peft.ParameterCounts();

        Assert.Equal(expected[adapterCase], trainable);
        Assert.True(total > trainable);
        Assert.All(model.Module.named_parameters().Where(p => p.parameter.requires_grad),
            p => Assert.Contains(peft.TrainableParameters(), t => ReferenceEquals(t.Parameter, p.parameter)));
    }

    internal static (TransformerModel Model, PeftModel Peft, Dictionary<string, Tensor> Io, Dictionary<string, Tensor> Expected) Load(string adapterCase, string baseFolder)
    {
        var model = ModelLoader.Load(Path.Combine(TestPaths.HfPeftFixtures, baseFolder));
        var peft = new PeftModel(model);
        peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, adapterCase), "default");
        var io = SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, baseFolder, "io.safetensors"));
        var expected = SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, adapterCase, "expected.safetensors"));
        return (model, peft, io, expected);
    }
}
