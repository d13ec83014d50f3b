using PeftOps.Configuration;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;

namespace PeftOps.Training.Tests;

/// <summary>adapter_config.json's base_model_name_or_path names what Hugging Face can resolve, never this machine's paths.</summary>
public sealed class HubReferenceTests
{
    [Fact]
    public void The_builtin_is_its_hub_id_and_a_folder_its_own_name_when_that_is_a_hub_id()
    {
        using var temp = new TempDirectory();
        string Folder(string name, string? nameOrPath)
        {
            var folder = temp.Combine(name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "config.json"),
                nameOrPath is null ? """{"model_type": "bert"}""" : $$"""{"model_type": "bert", "_name_or_path": {{System.Text.Json.JsonSerializer.Serialize(nameOrPath)}}}""");
            return folder;
        }

        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", HubReference.Of(ModelLoader.BuiltinMiniLm));
        Assert.Equal("Qwen/Qwen2-0.5B", HubReference.Of(Folder("hub", "Qwen/Qwen2-0.5B")));
        Assert.Null(HubReference.Of(Folder("none", null)));
        Assert.Null(HubReference.Of(Folder("machine", "/home/someone/models/qwen")));
        Assert.Null(HubReference.Of(Folder("relative", "./models/qwen")));
        Assert.Null(HubReference.Of(Folder("builtin", "builtin:all-MiniLM-L6-v2")));
        Assert.Null(HubReference.Of("builtin:another"));
    }

    [Fact]
    public void Training_writes_the_hub_reference_not_the_specs_local_base_model()
    {
        using var adapter = new TinyAdapter();
        var spec = AdapterSpecLoader.Load(adapter.Directory);

        // TinyAdapter's base is a folder copied from tests/data/hf-peft/tiny-bert, whose config.json has no _name_or_path
        Assert.True(Path.IsPathRooted(spec.BaseModel));
        Assert.Null(SpecToPeft.Map(spec).BaseModelNameOrPath);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", SpecToPeft.Map(spec with { BaseModel = ModelLoader.BuiltinMiniLm }).BaseModelNameOrPath);
    }
}
