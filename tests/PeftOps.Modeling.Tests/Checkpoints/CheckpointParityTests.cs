using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Checkpoints;

/// <summary>Base models loaded from transformers' own checkpoints reproduce transformers' logits (tests/data/hf-peft).</summary>
public sealed class CheckpointParityTests
{
    [Theory]
    [InlineData("tiny-bert", ModelArchitecture.BertSequenceClassifier)]
    [InlineData("tiny-llama", ModelArchitecture.LlamaCausalLm)]
    public void Base_logits_match_transformers_within_1e_5(string folder, ModelArchitecture architecture)
    {
        var dir = Path.Combine(TestPaths.HfPeftFixtures, folder);
        using var model = ModelLoader.Load(dir);
        var io = SafetensorsTorch.Load(Path.Combine(dir, "io.safetensors"));

        using var _ = no_grad();
        var logits = model.Logits(io["input_ids"], io["attention_mask"]);

        Assert.Equal(architecture, model.Architecture);
        TensorAssert.Close(io["logits"], logits, 1e-5, $"{folder} logits");
    }

    [Fact]
    public void A_sharded_checkpoint_loads_the_same_weights()
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(TestPaths.HfPeftFixtures, "tiny-llama");
        File.Copy(Path.Combine(source, "config.json"), temp.Combine("config.json"));
        var tensors = SafetensorsTorch.Load(Path.Combine(source, "model.safetensors"));
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var half = names.Count / 2;
        SafetensorsTorch.Save(temp.Combine("model-00001-of-00002.safetensors"), names.Take(half).Select(n => (n, tensors[n])));
        SafetensorsTorch.Save(temp.Combine("model-00002-of-00002.safetensors"), names.Skip(half).Select(n => (n, tensors[n])));
        var map = string.Join(",\n", names.Select((n, i) => $"\"{n}\": \"model-0000{(i < half ? 1 : 2)}-of-00002.safetensors\""));
        File.WriteAllText(temp.Combine("model.safetensors.index.json"), $"{{\"metadata\": {{}}, \"weight_map\": {{{map}}}}}");
        var io = SafetensorsTorch.Load(Path.Combine(source, "io.safetensors"));

        using var model = ModelLoader.Load(temp.Path);
        using var _ = no_grad();

        TensorAssert.Close(io["logits"], model.Logits(io["input_ids"], io["attention_mask"]), 1e-5, "sharded tiny-llama logits");
    }

    [Fact]
    public void Old_LayerNorm_gamma_beta_names_load()
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert");
        File.Copy(Path.Combine(source, "config.json"), temp.Combine("config.json"));
        var tensors = SafetensorsTorch.Load(Path.Combine(source, "model.safetensors"));
        SafetensorsTorch.Save(temp.Combine("model.safetensors"), tensors.Select(kv => (
            kv.Key.Replace("LayerNorm.weight", "LayerNorm.gamma", StringComparison.Ordinal).Replace("LayerNorm.bias", "LayerNorm.beta", StringComparison.Ordinal),
            kv.Value)));
        var io = SafetensorsTorch.Load(Path.Combine(source, "io.safetensors"));

        using var model = ModelLoader.Load(temp.Path);
        using var _ = no_grad();

        TensorAssert.Close(io["logits"], model.Logits(io["input_ids"], io["attention_mask"]), 1e-5, "gamma/beta tiny-bert logits");
    }

    [Fact]
    public void A_tensor_whose_shape_disagrees_with_the_config_is_named()
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert");
        File.WriteAllText(temp.Combine("config.json"), File.ReadAllText(Path.Combine(source, "config.json")).Replace("\"intermediate_size\": 64", "\"intermediate_size\": 48", StringComparison.Ordinal));
        File.Copy(Path.Combine(source, "model.safetensors"), temp.Combine("model.safetensors"));

        var error = Assert.Throws<Contracts.InputException>(() => ModelLoader.Load(temp.Path));

        Assert.Contains(temp.Combine("model.safetensors"), error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'bert.encoder.layer.0.intermediate.dense.weight' has shape [64, 32] but config.json implies [48, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_model_type_is_refused_naming_the_key()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("config.json"), "{\"model_type\": \"gpt2\"}");

        var error = Assert.Throws<Contracts.InputException>(() => ModelLoader.Load(temp.Path));

        Assert.Equal($"{temp.Combine("config.json")}: model_type 'gpt2' is not supported (expected bert, llama, qwen2 or mistral)", error.Message);
    }
}
