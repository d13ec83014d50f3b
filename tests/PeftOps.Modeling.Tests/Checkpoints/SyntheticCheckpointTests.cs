using System.Text.Json;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Llama;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Checkpoints;

/// <summary>
/// <c>model synth</c>'s checkpoints have the real models' shapes (their published parameter counts), load through
/// the same loader as a downloaded checkpoint, and exercise what Qwen2 and Mistral add to Llama.
/// </summary>
public sealed class SyntheticCheckpointTests
{
    private static readonly DecoderShape TinyQwen = SyntheticCheckpoint.Shapes["qwen2.5-0.5b"] with
    {
        VocabSize = 600, HiddenSize = 32, IntermediateSize = 48, Layers = 2, Heads = 4, KvHeads = 2,
    };

    [Theory]
    [InlineData("qwen2.5-0.5b", 494_032_768L)]   // Qwen/Qwen2.5-0.5B, tied embeddings
    [InlineData("tinyllama-1.1b", 1_100_048_384L)] // TinyLlama/TinyLlama-1.1B
    [InlineData("mistral-7b", 7_241_732_096L)]     // mistralai/Mistral-7B-v0.1
    public void Each_shape_has_its_published_parameter_count(string name, long published)
    {
        Assert.Equal(published, SyntheticCheckpoint.Shapes[name].Parameters);
    }

    [Fact]
    public void A_written_qwen2_checkpoint_loads_sharded_with_qkv_biases_and_its_tokenizer()
    {
        using var temp = new TempDirectory();
        var parameters = SyntheticCheckpoint.Write(temp.Path, TinyQwen, ScalarType.Float32, seed: 1, shardBytes: 20_000);

        using var model = ModelLoader.Load(temp.Path);

        Assert.Equal(TinyQwen.Parameters, parameters);
        Assert.Equal(parameters, model.ParameterCount); // the tied lm_head is counted once
        using var index = JsonDocument.Parse(File.ReadAllText(temp.Combine(SafetensorsTorch.IndexFileName)));
        var shards = index.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()).Distinct().ToList();
        Assert.True(shards.Count > 1, "sharded");
        Assert.All(shards, s => Assert.True(File.Exists(temp.Combine(s!))));
        var names = model.Module.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", names);
        Assert.Contains("model.layers.1.self_attn.v_proj.bias", names);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", names);
        var ids = model.DecoderTokenizer!.Encode("Where is my order? It was due on 3 May.");
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.InRange(id, 0, TinyQwen.VocabSize - 1));
    }

    [Fact]
    public void The_qkv_bias_is_used_in_the_forward_pass()
    {
        using var temp = new TempDirectory();
        SyntheticCheckpoint.Write(temp.Path, TinyQwen, ScalarType.Float32, seed: 2);
        using var model = ModelLoader.Load(temp.Path);
        using var _ = no_grad();
        var ids = tensor(new long[] { 5, 17, 42, 7 }).unsqueeze(0);
        var mask = ones_like(ids);
        var before = model.Logits(ids, mask).clone();

        model.Module.named_parameters().Single(p => p.name == "model.layers.0.self_attn.k_proj.bias").parameter.fill_(0.5);

        Assert.False(before.allclose(model.Logits(ids, mask), rtol: 0, atol: 1e-6), "a key bias changed nothing");
    }

    [Fact]
    public void Mistrals_sliding_window_keeps_each_query_to_the_last_window_keys()
    {
        var mask = ones(1, 5, ScalarType.Int64);

        var full = LlamaModel.CausalMask(mask, ScalarType.Float32);
        var wide = LlamaModel.CausalMask(mask, ScalarType.Float32, slidingWindow: 5);
        var band = LlamaModel.CausalMask(mask, ScalarType.Float32, slidingWindow: 2)[0, 0].eq(0).to(ScalarType.Int64);

        Assert.True(full.eq(wide).all().item<bool>(), "a window as long as the sequence changes nothing");
        long[,] expected = { { 1, 0, 0, 0, 0 }, { 1, 1, 0, 0, 0 }, { 0, 1, 1, 0, 0 }, { 0, 0, 1, 1, 0 }, { 0, 0, 0, 1, 1 } };
        Assert.Equal(expected.Cast<long>(), band.data<long>().ToArray());
    }

    [Fact]
    public void A_mistral_config_reads_its_sliding_window()
    {
        using var temp = new TempDirectory();
        SyntheticCheckpoint.Write(temp.Path, SyntheticCheckpoint.Shapes["mistral-7b"] with
        {
            VocabSize = 600, HiddenSize = 32, IntermediateSize = 48, Heads = 4, KvHeads = 2,
        }, ScalarType.BFloat16, seed: 3, layers: 1);

        var (_, _, llama) = HfConfigReader.Read(temp.Combine("config.json"));

        Assert.Equal(4096, llama!.SlidingWindow);
        Assert.False(llama.QkvBias);
        Assert.Equal(1, llama.NumHiddenLayers);
    }
}
