using System.Text.Json.Nodes;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft.Format;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>PEFT's adapter folder format: a PEFT-saved adapter survives a load and save byte for byte; fresh adapters write what PEFT 0.21 writes.</summary>
public sealed class AdapterFormatTests
{
    [Theory]
    [MemberData(nameof(Reference.FixtureAdapters), MemberType = typeof(Reference))]
    public void An_adapter_saved_by_peft_is_saved_again_byte_for_byte(string adapterCase, string baseFolder)
    {
        using var model = Reference.Base(baseFolder);
        var peft = new PeftModel(model);
        var source = Path.Combine(TestPaths.HfPeftFixtures, adapterCase);
        var (_, warnings) = peft.LoadAdapter(source, "default");
        using var dir = new TempDirectory();

        peft.SaveAdapter(dir.Path);

        Assert.Empty(warnings);
        Assert.Equal(["adapter_config.json", "adapter_model.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(source, "adapter_config.json")), File.ReadAllText(dir.Combine("adapter_config.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "adapter_model.safetensors")), File.ReadAllBytes(dir.Combine("adapter_model.safetensors")));
    }

    [Fact]
    public void Unknown_fields_are_reported_as_warnings_and_kept_on_save()
    {
        using var dir = new TempDirectory();
        var source = Path.Combine(TestPaths.HfPeftFixtures, "bert-lora");
        File.Copy(Path.Combine(source, "adapter_model.safetensors"), dir.Combine("adapter_model.safetensors"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "adapter_config.json")))!.AsObject();
        json["zeta_future_option"] = new JsonObject { ["depth"] = 3, ["mode"] = "fast" };
        json["alpha_new_flag"] = true;
        File.WriteAllText(dir.Combine("adapter_config.json"), PythonJson.Serialize(json));
        var original = File.ReadAllText(dir.Combine("adapter_config.json"));
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);

        var (_, warnings) = peft.LoadAdapter(dir.Path, "default");
        using var output = new TempDirectory();
        peft.SaveAdapter(output.Path);

        var configPath = dir.Combine("adapter_config.json");
        Assert.Equal(
            [
                $"{configPath}: field 'alpha_new_flag' is not known to PeftOps; kept as it is",
                $"{configPath}: field 'zeta_future_option' is not known to PeftOps; kept as it is",
            ],
            warnings);
        Assert.Equal(original, File.ReadAllText(output.Combine("adapter_config.json")));
        var expected = SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora", "expected.safetensors"));
        TensorAssert.Close(expected["logits"], Reference.Logits(model, Reference.Io("tiny-bert")), 1e-5, "logits");
    }

    [Theory]
    [InlineData("lora", "bert-lora")]
    [InlineData("dora", "bert-dora")]
    [InlineData("ia3", "bert-ia3")]
    public void A_fresh_adapter_writes_every_field_peft_writes_and_reloads_to_the_same_outputs(string method, string fixture)
    {
        var config = method == "ia3"
            ? new PeftAdapterConfig { Method = PeftMethod.Ia3, TargetModules = ["key", "value", "output.dense"], FeedforwardModules = ["output.dense"], ModulesToSave = ["classifier"], TaskType = "SEQ_CLS" }
            : new PeftAdapterConfig { R = 4, LoraAlpha = 8, TargetModules = ["query", "value"], UseDora = method == "dora", InitLoraWeights = PeftInit.None, ModulesToSave = ["classifier"], TaskType = "SEQ_CLS" };
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("fresh", config, new Generator(41));
        using var dir = new TempDirectory();

        peft.SaveAdapter(dir.Path);

        var written = JsonNode.Parse(File.ReadAllText(dir.Combine("adapter_config.json")))!.AsObject();
        var peftWritten = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.HfPeftFixtures, fixture, "adapter_config.json")))!.AsObject();
        Assert.Equal(peftWritten.Select(kv => kv.Key).Order(StringComparer.Ordinal), written.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        foreach (var (key, value) in peftWritten)
        {
            if (key is not ("init_lora_weights" or "target_modules" or "modules_to_save"))
                Assert.True(JsonNode.DeepEquals(value, written[key]), $"{key}: PEFT wrote {value?.ToJsonString()}, PeftOps {written[key]?.ToJsonString()}");
        }
        var peftKeys = SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, fixture, "adapter_model.safetensors")).Keys;
        Assert.Equal(peftKeys.Order(StringComparer.Ordinal), SafetensorsTorch.Load(dir.Combine("adapter_model.safetensors")).Keys.Order(StringComparer.Ordinal));

        using var fresh = Reference.Base("tiny-bert");
        var reloaded = new PeftModel(fresh);
        var (_, warnings) = reloaded.LoadAdapter(dir.Path, "fresh");
        Assert.Empty(warnings);
        var io = Reference.Io("tiny-bert");
        Assert.True(Reference.Same(Reference.Logits(model, io), Reference.Logits(fresh, io)), "reloaded logits differ");
        using var again = new TempDirectory();
        reloaded.SaveAdapter(again.Path);
        Assert.Equal(File.ReadAllBytes(dir.Combine("adapter_config.json")), File.ReadAllBytes(again.Combine("adapter_config.json")));
        Assert.Equal(File.ReadAllBytes(dir.Combine("adapter_model.safetensors")), File.ReadAllBytes(again.Combine("adapter_model.safetensors")));
    }

    [Fact]
    public void Saving_over_an_adapter_folder_replaces_both_files_and_leaves_no_temporary_file()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-dora"), "dora");
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("adapter_config.json"), new string('x', 50_000));
        File.WriteAllBytes(dir.Combine("adapter_model.safetensors"), new byte[500_000]);

        peft.SaveAdapter(dir.Path);

        Assert.Equal(["adapter_config.json", "adapter_model.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.HfPeftFixtures, "bert-dora", "adapter_model.safetensors")), File.ReadAllBytes(dir.Combine("adapter_model.safetensors")));
    }
}
