using System.Security.Cryptography;
using System.Text.Json;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary><c>peftops model info REF</c> against facts read straight from the checkpoint files.</summary>
[Collection(CliCollection.Name)]
public sealed class ModelInfoCommandTests
{
    private static async Task<Dictionary<string, string>> Info(string folder)
    {
        var result = await PeftOpsRunner.InProcess("model", "info", folder);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
    }

    [Theory]
    [InlineData("tiny-bert", "BertForSequenceClassification")]
    [InlineData("tiny-llama", "LlamaForCausalLM")]
    public async Task Prints_architecture_size_dtype_source_hash_and_config(string name, string architecture)
    {
        var folder = Path.Combine(TestPaths.HfPeftFixtures, name);

        var info = await Info(folder);

        var weights = Path.Combine(folder, "model.safetensors");
        var tensors = SafetensorsTorch.Load(weights);
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "config.json")));
        var root = config.RootElement;
        Assert.Equal(architecture, info["architecture"]);
        Assert.Equal(tensors.Values.Sum(t => t.numel()).ToString(System.Globalization.CultureInfo.InvariantCulture), info["parameters"]);
        Assert.Equal("float32", info["dtype"]);
        Assert.Equal("Hugging Face checkpoint folder", info["source"]);
        Assert.Equal(folder, info["folder"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(weights))), info["weights_sha256"]);
        foreach (var key in new[] { "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "max_position_embeddings" })
            Assert.Equal(root.GetProperty(key).GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), info[key]);
        if (name == "tiny-llama")
        {
            Assert.Equal(root.GetProperty("num_key_value_heads").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), info["num_key_value_heads"]);
            Assert.Equal("10000", info["rope_theta"]);
            Assert.Equal("1e-06", info["rms_norm_eps"]);
        }
        else
        {
            Assert.Equal("LABEL_0, LABEL_1, LABEL_2, LABEL_3, LABEL_4", info["labels"]);
        }
        Assert.StartsWith("nuget (TorchSharp ", info["libtorch"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_a_decoder_tokenizer_by_kind_and_size()
    {
        using var dir = new TempDirectory();
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(TestPaths.HfPeftFixtures, "tiny-llama", file), dir.Combine(file));
        Assert.Equal("none (no tokenizer.json or tokenizer.model)", (await Info(dir.Path))["tokenizer"]);

        File.Copy(Path.Combine(TestPaths.ByteLevelBpe("llama3"), "tokenizer.json"), dir.Combine("tokenizer.json"));

        // 256 byte symbols + 220 merges + one whole word; <|begin_of_text|> and <|end_of_text|>
        Assert.Equal("byte-level BPE (tokenizer.json, 477 tokens, 220 merges, 2 added)", (await Info(dir.Path))["tokenizer"]);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_checkpoint_exits_2()
    {
        using var dir = new TempDirectory();

        var result = await PeftOpsRunner.InProcess("model", "info", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: {Path.Combine(dir.Path, "config.json")}: not found (a Hugging Face checkpoint folder needs config.json)\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }
}
