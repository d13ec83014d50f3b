using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>Several adapters on one base model, switched by name, each computing what it computes alone.</summary>
public sealed class MultiAdapterTests
{
    private static Tensor ExpectedLogits(string adapterCase) =>
        SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, adapterCase, "expected.safetensors"))["logits"];

    [Fact]
    public void Adapters_loaded_on_one_base_switch_by_name_without_reloading_it()
    {
        using var model = Reference.Base("tiny-bert");
        var module = model.Module;
        var layers = model.LinearLayers().ToList();
        var baseWeights = layers.Select(l => l.Layer.weight.detach().clone()).ToList();
        var peft = new PeftModel(model);
        string[] cases = ["bert-lora", "bert-ia3", "bert-dora", "bert-lora-default-init"];
        foreach (var adapterCase in cases)
            peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, adapterCase), adapterCase);
        var io = Reference.Io("tiny-bert");

        Assert.Equal(cases.Order(StringComparer.Ordinal), peft.Adapters.Keys.Order(StringComparer.Ordinal));
        foreach (var adapterCase in cases.Reverse().Concat(cases))
        {
            peft.SetAdapter(adapterCase);
            Assert.Equal(adapterCase, peft.ActiveAdapter);
            TensorAssert.Close(ExpectedLogits(adapterCase), Reference.Logits(model, io), 1e-5, $"{adapterCase} logits on the shared base");
            Assert.All(peft.TrainableParameters(), t => Assert.Contains($".{adapterCase}", t.Name, StringComparison.Ordinal));
        }
        peft.SetAdapter(null);
        TensorAssert.Close(io["logits"], Reference.Logits(model, io), 1e-5, "base logits with no adapter active");
        Assert.Empty(peft.TrainableParameters());

        Assert.Same(module, model.Module);
        Assert.Equal(layers.Select(l => l.Layer), model.LinearLayers().Select(l => l.Layer));
        Assert.All(layers.Zip(baseWeights), p => Assert.True(Reference.Same(p.First.Layer.weight, p.Second), p.First.Name));
    }

    [Fact]
    public void Only_the_active_adapter_trains()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora"), "one");
        peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora-default-init"), "two");
        peft.SetAdapter("one");
        var io = Reference.Io("tiny-bert");

        var loss = model.Loss(model.Logits(io["input_ids"], io["attention_mask"]), io["labels"], io["input_ids"], io["attention_mask"]);
        loss.backward();

        var trainable = peft.TrainableParameters().Select(t => t.Parameter).ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.All(model.Module.named_parameters(), p =>
        {
            Assert.Equal(trainable.Contains(p.parameter), p.parameter.requires_grad);
            Assert.Equal(trainable.Contains(p.parameter), p.parameter.grad is not null);
        });
        Assert.Equal(1189, trainable.Sum(p => ((TorchSharp.Modules.Parameter)p!).numel()));
    }

    [Fact]
    public void A_merged_adapter_must_be_unmerged_before_switching()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora"), "lora");
        peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-ia3"), "ia3");
        peft.Merge();
        var io = Reference.Io("tiny-bert");

        var e = Assert.Throws<InvalidOperationException>(() => peft.SetAdapter("lora"));

        Assert.Equal("adapter 'ia3' is merged into classifier: unmerge it before switching", e.Message);
        Assert.Equal("ia3", peft.ActiveAdapter);
        Assert.All(model.LinearLayers(), l => Assert.Contains(l.Layer.ActiveAdapter, new[] { "ia3", null }));
        TensorAssert.Close(ExpectedLogits("bert-ia3"), Reference.Logits(model, io), 1e-5, "ia3 logits after a refused switch");
        var load = Assert.Throws<InvalidOperationException>(() => peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-dora"), "dora"));
        Assert.Equal("adapter 'ia3' is merged into classifier: unmerge it before adding another", load.Message);
        Assert.Equal(["ia3", "lora"], peft.Adapters.Keys.Order(StringComparer.Ordinal));
        Assert.All(model.LinearLayers(), l => Assert.DoesNotContain("dora", l.Layer.Adapters.Keys));
        peft.Unmerge();
        peft.SetAdapter("lora");

        TensorAssert.Close(ExpectedLogits("bert-lora"), Reference.Logits(model, io), 1e-5, "lora logits after unmerging ia3");
    }
}
