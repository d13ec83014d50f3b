using PeftOps.Contracts;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft.Format;
using PeftOps.TestSupport;
using TorchSharp;
using static TorchSharp.torch;
using Generation = PeftOps.Peft.Tests.PeftSaveRules.Generation;

namespace PeftOps.Peft.Tests;

/// <summary>
/// Every file shape PEFT writes for LoRA loads: the weights are built with <see cref="PeftSaveRules"/> (PEFT's
/// naming rules) from a trained adapter, and the loaded adapter must compute what the trained one does.
/// </summary>
public sealed class PeftWrittenFileTests
{
    private const string Classifier = "base_model.model.classifier";

    // The generation by name: the rules are internal to the tests.
    public static TheoryData<string, bool, bool, string> Shapes => new()
    {
        { "none", false, false, nameof(Generation.SubstringFilter) },
        { "none", true, false, nameof(Generation.SubstringFilter) },
        { "none", true, true, nameof(Generation.SubstringFilter) },
        { "all", false, false, nameof(Generation.SubstringFilter) },
        { "all", true, false, nameof(Generation.SubstringFilter) },
        { "all", true, true, nameof(Generation.SubstringFilter) },
        { "all", true, false, nameof(Generation.WrapperKeysRebuilt) },
        { "lora_only", true, false, nameof(Generation.SubstringFilter) },
        { "lora_only", true, false, nameof(Generation.WrapperKeysRebuilt) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_file_peft_wrote_loads_and_computes_what_the_trained_adapter_computes(string bias, bool headInModulesToSave, bool dora, string generation)
    {
        using var trained = Reference.Base("tiny-bert");
        var peft = Trained(trained, bias, headInModulesToSave, dora);
        using var dir = new TempDirectory();
        WritePeftFolder(peft, dir.Path, bias, Enum.Parse<Generation>(generation));

        using var fresh = Reference.Base("tiny-bert");
        var loaded = new PeftModel(fresh);
        var (_, warnings) = loaded.LoadAdapter(dir.Path, PeftSaveRules.AdapterName);

        Assert.Empty(warnings);
        var io = Reference.Io("tiny-bert");
        var expected = Reference.Logits(trained, io);
        Assert.True((expected - io["logits"]).abs().max().item<float>() > 1e-3, "the trained adapter must change the logits for this check to mean anything");
        TensorAssert.Close(expected, Reference.Logits(fresh, io), 1e-6, "adapted logits");
        peft.SetAdapter(null);
        loaded.SetAdapter(null);
        TensorAssert.Close(Reference.Logits(trained, io), Reference.Logits(fresh, io), 1e-6, "logits with the adapter switched off (trained biases stay)");
    }

    [Fact]
    public void Under_bias_all_the_substring_filter_also_saves_the_wrappers_biases_and_they_load_as_peft_loads_them()
    {
        using var trained = Reference.Base("tiny-bert");
        var peft = Trained(trained, "all", headInModulesToSave: true, dora: false);
        using var dir = new TempDirectory();
        var saved = WritePeftFolder(peft, dir.Path, "all", Generation.SubstringFilter, tensors =>
        {
            // Values PEFT would not write, to tell what the load does with each key.
            tensors[$"{Classifier}.modules_to_save.bias"] = full(tensors[$"{Classifier}.bias"].shape, 7.0f);
            tensors[$"{Classifier}.original_module.bias"] = full(tensors[$"{Classifier}.bias"].shape, -3.0f);
        });
        Assert.Contains($"{Classifier}.weight", saved);
        Assert.Contains($"{Classifier}.bias", saved);

        using var fresh = Reference.Base("tiny-bert");
        var loaded = new PeftModel(fresh);
        loaded.LoadAdapter(dir.Path, PeftSaveRules.AdapterName);

        // The copy is MODULE.weight/bias; MODULE.modules_to_save.bias is ignored, as PEFT's load ignores it.
        var io = Reference.Io("tiny-bert");
        TensorAssert.Close(Reference.Logits(trained, io), Reference.Logits(fresh, io), 1e-6, "adapted logits");
        // MODULE.original_module.bias goes into the base layer, as PEFT's load puts it into the wrapped original.
        var head = fresh.LinearLayers().Single(l => l.Name == "classifier").Layer;
        Assert.True(Reference.Same(head.bias!, full(head.bias!.shape, -3.0f)));
    }

    [Fact]
    public void A_wrapper_bias_of_the_wrong_shape_is_refused_naming_the_key()
    {
        using var trained = Reference.Base("tiny-bert");
        var peft = Trained(trained, "all", headInModulesToSave: true, dora: false);
        using var dir = new TempDirectory();
        WritePeftFolder(peft, dir.Path, "all", Generation.SubstringFilter, tensors => tensors[$"{Classifier}.original_module.bias"] = zeros(3));

        using var fresh = Reference.Base("tiny-bert");
        var loaded = new PeftModel(fresh);
        var error = Assert.Throws<InputException>(() => loaded.LoadAdapter(dir.Path, "a"));

        Assert.Equal($"{Path.Combine(dir.Path, "adapter_model.safetensors")}: tensor '{Classifier}.original_module.bias' has shape [3] but the base model needs [5]", error.Message);
        Assert.Empty(loaded.Adapters);
    }

    [Fact]
    public void Wrapper_biases_are_refused_where_peft_never_writes_them()
    {
        using var trained = Reference.Base("tiny-bert");
        var peft = Trained(trained, "none", headInModulesToSave: true, dora: false);
        using var dir = new TempDirectory();
        WritePeftFolder(peft, dir.Path, "none", Generation.SubstringFilter, tensors => tensors[$"{Classifier}.original_module.bias"] = zeros(5));

        using var fresh = Reference.Base("tiny-bert");
        var error = Assert.Throws<InputException>(() => new PeftModel(fresh).LoadAdapter(dir.Path, "a"));

        Assert.StartsWith($"{Path.Combine(dir.Path, "adapter_model.safetensors")}: tensor '{Classifier}.original_module.bias' does not fit the base model", error.Message);
    }

    [Fact]
    public void The_save_rules_give_the_issue_case_its_extra_keys_and_the_later_rules_drop_them()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = Trained(model, "all", headInModulesToSave: true, dora: false);

        var substring = PeftSaveRules.Save(peft, "all", Generation.SubstringFilter).Keys.Where(k => k.StartsWith(Classifier + ".", StringComparison.Ordinal));
        var rebuilt = PeftSaveRules.Save(peft, "all", Generation.WrapperKeysRebuilt).Keys.Where(k => k.StartsWith(Classifier + ".", StringComparison.Ordinal));

        Assert.Equal(
            [$"{Classifier}.bias", $"{Classifier}.modules_to_save.bias", $"{Classifier}.original_module.bias", $"{Classifier}.weight"],
            substring.Order(StringComparer.Ordinal));
        Assert.Equal([$"{Classifier}.bias", $"{Classifier}.weight"], rebuilt.Order(StringComparer.Ordinal));
    }

    // An adapter named as PEFT's default, every trainable parameter moved off its initial value.
    private static PeftModel Trained(Modeling.Checkpoints.TransformerModel model, string bias, bool headInModulesToSave, bool dora)
    {
        var peft = new PeftModel(model);
        var config = LoraOptionsTests.Lora("query", "value") with
        {
            Bias = bias switch { "all" => PeftBias.All, "lora_only" => PeftBias.LoraOnly, _ => PeftBias.None },
            ModulesToSave = headInModulesToSave ? ["classifier"] : [],
            UseDora = dora,
        };
        peft.AddAdapter(PeftSaveRules.AdapterName, config, new Generator(41));
        var generator = new Generator(42);
        using var _ = no_grad();
        foreach (var (_, p) in peft.TrainableParameters())
            p.add_(0.1 * randn(p.shape, generator: generator));
        return peft;
    }

    // The config as PeftOps writes it (checked against PEFT's own in AdapterFormatTests), the weights by PEFT's rules.
    private static IReadOnlyList<string> WritePeftFolder(PeftModel peft, string directory, string bias, Generation generation, Action<Dictionary<string, Tensor>>? edit = null)
    {
        peft.SaveAdapter(directory);
        var tensors = PeftSaveRules.Save(peft, bias, generation).ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        edit?.Invoke(tensors);
        SafetensorsTorch.Save(Path.Combine(directory, "adapter_model.safetensors"), tensors.Select(kv => (kv.Key, kv.Value)), new Dictionary<string, string> { ["format"] = "pt" });
        return tensors.Keys.ToList();
    }
}
