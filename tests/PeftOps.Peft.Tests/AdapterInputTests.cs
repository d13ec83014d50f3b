using PeftOps.Contracts;
using System.Text.Json.Nodes;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft.Format;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// A broken adapter folder is bad input: one <see cref="InputException"/> naming the file and the key,
/// and the model is left as it was (no adapter attached, base outputs).
/// </summary>
public sealed class AdapterInputTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string ConfigPath => dir.Combine("adapter_config.json");

    private string WeightsPath => dir.Combine("adapter_model.safetensors");

    /// <summary>Copies a fixture into the temp folder, editing its config.</summary>
    private void CopyFixture(string adapterCase, Action<JsonObject>? editConfig = null)
    {
        var source = Path.Combine(TestPaths.HfPeftFixtures, adapterCase);
        File.Copy(Path.Combine(source, "adapter_model.safetensors"), WeightsPath);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "adapter_config.json")))!.AsObject();
        editConfig?.Invoke(config);
        File.WriteAllText(ConfigPath, PythonJson.Serialize(config));
    }

    private static string LoadFails(string directory, string baseFolder = "tiny-bert")
    {
        using var model = Reference.Base(baseFolder);
        var peft = new PeftModel(model);
        var io = Reference.Io(baseFolder);

        var e = Assert.Throws<InputException>(() => peft.LoadAdapter(directory, "bad"));

        Assert.Empty(peft.Adapters);
        Assert.Null(peft.ActiveAdapter);
        Assert.All(model.LinearLayers(), l => Assert.Empty(l.Layer.Adapters));
        Assert.All(model.Module.parameters(), p => Assert.False(p.requires_grad));
        Assert.True(io["logits"].allclose(Reference.Logits(model, io), rtol: 0, atol: 1e-5), "base logits after a failed load");
        return e.Message;
    }

    [Fact]
    public void Tensors_whose_shapes_do_not_fit_the_config_are_refused()
    {
        CopyFixture("bert-lora", c => c["r"] = 2);

        Assert.Equal(
            $"{WeightsPath}: tensor 'base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight' has shape [4, 32] but the base model needs [2, 32]",
            LoadFails(dir.Path));
    }

    [Fact]
    public void An_adapter_for_another_base_model_is_refused()
    {
        CopyFixture("llama-lora");

        Assert.Equal(
            $"{ConfigPath}: target_modules [down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj] match no linear layer of the base model (its layers end in: classifier, dense, key, query, value)",
            LoadFails(dir.Path));
    }

    [Fact]
    public void Target_modules_that_match_nothing_are_refused()
    {
        CopyFixture("bert-lora", c => c["target_modules"] = new JsonArray("q_lin", "v_lin"));

        var message = LoadFails(dir.Path);

        Assert.StartsWith($"{ConfigPath}: target_modules [q_lin, v_lin] match no linear layer of the base model", message);
    }

    [Fact]
    public void An_unsupported_peft_type_is_refused()
    {
        CopyFixture("bert-lora", c => c["peft_type"] = "LOHA");

        Assert.Equal($"{ConfigPath}: peft_type 'LOHA' is not supported (expected LORA or IA3)", LoadFails(dir.Path));
    }

    [Fact]
    public void A_missing_config_file_is_refused()
    {
        CopyFixture("bert-lora");
        File.Delete(ConfigPath);

        Assert.Equal($"{ConfigPath}: not found (a PEFT adapter folder holds adapter_config.json)", LoadFails(dir.Path));
    }

    [Fact]
    public void A_missing_weights_file_is_refused()
    {
        CopyFixture("bert-lora");
        File.Delete(WeightsPath);

        Assert.Equal($"{WeightsPath}: not found (a PEFT adapter folder holds adapter_model.safetensors)", LoadFails(dir.Path));
    }

    [Fact]
    public void A_missing_tensor_is_refused()
    {
        CopyFixture("bert-lora", c => c["target_modules"] = new JsonArray("query", "value", "key"));

        Assert.Equal(
            $"{WeightsPath}: tensor 'base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight' is missing (the adapter config targets that module)",
            LoadFails(dir.Path));
    }

    [Fact]
    public void An_unexpected_tensor_is_refused()
    {
        CopyFixture("bert-lora");
        var tensors = SafetensorsTorch.Load(WeightsPath);
        tensors["base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight"] = zeros(4, 32);
        SafetensorsTorch.Save(WeightsPath, tensors.Select(kv => (kv.Key, kv.Value)), new Dictionary<string, string> { ["format"] = "pt" });

        Assert.Equal(
            $"{WeightsPath}: tensor 'base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight' does not fit the base model (no such module, or not targeted by the adapter config)",
            LoadFails(dir.Path));
    }

    [Fact]
    public void A_weights_file_that_is_not_safetensors_is_refused()
    {
        CopyFixture("bert-lora");
        File.WriteAllText(WeightsPath, "not a safetensors file");

        Assert.StartsWith(WeightsPath, LoadFails(dir.Path));
    }

    [Fact]
    public void A_config_that_is_not_json_is_refused()
    {
        CopyFixture("bert-lora");
        File.WriteAllText(ConfigPath, "{\"peft_type\": \"LORA\",");

        Assert.StartsWith($"{ConfigPath}: not valid JSON", LoadFails(dir.Path));
    }

    [Fact]
    public void An_unknown_bias_mode_is_refused()
    {
        CopyFixture("bert-lora", c => c["bias"] = "some");

        Assert.Equal($"{ConfigPath}: bias 'some' is not supported (expected none, all or lora_only)", LoadFails(dir.Path));
    }

    [Fact]
    public void A_bias_that_is_not_a_string_is_refused()
    {
        CopyFixture("bert-lora", c => c["bias"] = true);

        Assert.Equal($"{ConfigPath}: bias must be one of none, all or lora_only (was true)", LoadFails(dir.Path));
    }

    [Theory]
    [InlineData("\"pissa\"")]
    [InlineData("\"olora\"")]
    [InlineData("\"default\"")]
    [InlineData("1")]
    public void An_init_that_peftops_does_not_compute_is_refused(string value)
    {
        CopyFixture("bert-lora", c => c["init_lora_weights"] = JsonNode.Parse(value));

        Assert.Equal($"{ConfigPath}: init_lora_weights {value} is not supported (expected true, false or \"gaussian\")", LoadFails(dir.Path));
    }

    [Fact]
    public void A_rank_that_is_not_an_integer_is_refused()
    {
        CopyFixture("bert-lora", c => c["r"] = "four");

        Assert.Equal($"{ConfigPath}: r must be an integer (was \"four\")", LoadFails(dir.Path));
    }

    [Fact]
    public void A_second_adapter_under_a_taken_name_is_refused_and_the_first_stays()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora"), "a");

        var e = Assert.Throws<InputException>(() => peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-dora"), "a"));

        Assert.Equal("adapter 'a' is already loaded", e.Message);
        var expected = SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora", "expected.safetensors"));
        TensorAssert.Close(expected["logits"], Reference.Logits(model, Reference.Io("tiny-bert")), 1e-5, "first adapter's logits");
    }
}
