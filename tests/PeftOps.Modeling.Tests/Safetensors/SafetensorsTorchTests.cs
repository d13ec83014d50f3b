using PeftOps.Contracts;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Safetensors;

public sealed class SafetensorsTorchTests
{
    public static TheoryData<string> Fixtures() => SafetensorsFileTests.PythonWrittenFiles();

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Loads_every_fixture_with_its_names_shapes_dtypes_and_bytes(string relativePath)
    {
        var path = Path.Combine(TestPaths.HfPeftFixtures, relativePath);
        var file = SafetensorsFile.Read(path);

        var tensors = SafetensorsTorch.Load(path);
        try
        {
            Assert.Equal(file.Tensors.Select(t => t.Name), tensors.Keys);
            foreach (var expected in file.Tensors)
            {
                var tensor = tensors[expected.Name];
                Assert.Equal(expected.Shape, tensor.shape);
                Assert.Equal(SafetensorsTorch.ToScalarType(expected.Dtype), tensor.dtype);
                Assert.Equal(DeviceType.CPU, tensor.device_type);
                Assert.Equal(expected.Data.ToArray(), tensor.bytes.ToArray());
            }
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }

    [Fact]
    public void Loads_the_tiny_bert_inputs_as_int64_and_float32_tensors()
    {
        var tensors = SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert", "io.safetensors"));

        Assert.Equal(ScalarType.Int64, tensors["input_ids"].dtype);
        Assert.Equal([3L, 10], tensors["input_ids"].shape);
        Assert.Equal([3L, 10], tensors["attention_mask"].shape);
        Assert.Equal([3L], tensors["labels"].shape);
        Assert.Equal(ScalarType.Float32, tensors["logits"].dtype);
        Assert.Equal([3L, 5], tensors["logits"].shape);
        Assert.True(tensors["attention_mask"].eq(0).logical_or(tensors["attention_mask"].eq(1)).all().item<bool>());
        Assert.True(tensors["logits"].isfinite().all().item<bool>());
        foreach (var tensor in tensors.Values)
            tensor.Dispose();
    }

    public static TheoryData<SafetensorsDtype> TorchDtypes() =>
        [.. Enum.GetValues<SafetensorsDtype>().Where(d => SafetensorsTorch.ToScalarType(d) is not null)];

    [Theory]
    [MemberData(nameof(TorchDtypes))]
    public void Round_trips_every_bit_of_every_dtype(SafetensorsDtype dtype)
    {
        // random bits: NaN payloads, signed zeros and subnormals must survive untouched (bool keeps 0/1)
        var bytes = new byte[3 * 5 * dtype.Size()];
        new Random((int)dtype).NextBytes(bytes);
        if (dtype == SafetensorsDtype.BOOL)
            bytes = [.. bytes.Select(b => (byte)(b & 1))];
        using var temp = new TempDirectory();
        var path = temp.Combine("t.safetensors");
        using var original = SafetensorsTorch.ToTorch(new SafetensorsTensor("x", dtype, [3, 5], bytes));

        SafetensorsTorch.Save(path, [("x", original)], new Dictionary<string, string> { ["format"] = "pt" });
        var loaded = SafetensorsTorch.Load(path);

        using var back = loaded["x"];
        Assert.Equal(SafetensorsTorch.ToScalarType(dtype), back.dtype);
        Assert.Equal([3L, 5], back.shape);
        Assert.Equal(bytes, back.bytes.ToArray());
        Assert.Equal("pt", SafetensorsFile.Read(path).Metadata["format"]);
    }

    [Fact]
    public void Keeps_bfloat16_values_exactly()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bf16.safetensors");
        using var values = tensor(new float[] { 1.0f, -2.5f, 3.140625f, 1e-30f, float.PositiveInfinity }).to(ScalarType.BFloat16);

        SafetensorsTorch.Save(path, [("w", values)]);
        using var back = SafetensorsTorch.Load(path)["w"];

        Assert.Equal(ScalarType.BFloat16, back.dtype);
        Assert.Equal(values.bytes.ToArray(), back.bytes.ToArray());
    }

    [Fact]
    public void Saves_a_transposed_view_in_its_logical_order()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("t.safetensors");
        using var matrix = arange(6, ScalarType.Float32).reshape(2, 3);
        using var transposed = matrix.t();

        SafetensorsTorch.Save(path, [("t", transposed)]);
        using var back = SafetensorsTorch.Load(path)["t"];

        Assert.Equal([3L, 2], back.shape);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], back.data<float>().ToArray());
    }

    [Fact]
    public void Round_trips_scalars_and_empty_tensors()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("edge.safetensors");
        using var scalar = tensor(2.5);
        using var none = zeros(0, ScalarType.Int64);

        SafetensorsTorch.Save(path, [("scalar", scalar), ("none", none)]);
        var back = SafetensorsTorch.Load(path);

        Assert.Empty(back["scalar"].shape);
        Assert.Equal(2.5, back["scalar"].item<double>());
        Assert.Equal([0L], back["none"].shape);
        Assert.Equal(ScalarType.Int64, back["none"].dtype);
        foreach (var t in back.Values)
            t.Dispose();
    }

    [Fact]
    public void Writes_what_the_Python_library_writes_for_a_PEFT_adapter()
    {
        var original = Path.Combine(TestPaths.HfPeftFixtures, "llama-lora", "adapter_model.safetensors");
        var tensors = SafetensorsTorch.Load(original);
        using var temp = new TempDirectory();
        var copy = temp.Combine("adapter_model.safetensors");

        // reversed input order: the layout must not depend on it
        SafetensorsTorch.Save(copy, tensors.Reverse().Select(kv => (kv.Key, kv.Value)), new Dictionary<string, string> { ["format"] = "pt" });

        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    [Fact]
    public void Refuses_a_dtype_TorchSharp_cannot_hold()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("u16.safetensors");
        SafetensorsFile.Write(path, [new SafetensorsTensor("w", SafetensorsDtype.U16, [2], new byte[4])]);

        var e = Assert.Throws<InputException>(() => SafetensorsTorch.Load(path));

        Assert.Equal($"{path}: tensor 'w' has dtype U16, which TorchSharp has no type for", e.Message);
    }

    [Fact]
    public void Loads_a_single_file_checkpoint_folder()
    {
        var tensors = SafetensorsTorch.LoadCheckpoint(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert"));

        Assert.Equal(SafetensorsFile.Read(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert", "model.safetensors")).Tensors.Select(t => t.Name), tensors.Keys);
        Assert.Contains("bert.embeddings.word_embeddings.weight", tensors.Keys);
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    [Fact]
    public void Loads_a_sharded_checkpoint_through_its_index()
    {
        using var temp = new TempDirectory();
        var (expected, _) = WriteShards(temp.Path);

        var tensors = SafetensorsTorch.LoadCheckpoint(temp.Path);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, values) in expected)
            Assert.Equal(values, tensors[name].data<float>().ToArray());
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    [Fact]
    public void Names_the_index_and_the_missing_shard()
    {
        using var temp = new TempDirectory();
        var (_, shards) = WriteShards(temp.Path);
        File.Delete(Path.Combine(temp.Path, shards[1]));

        var e = Assert.Throws<InputException>(() => SafetensorsTorch.LoadCheckpoint(temp.Path));

        Assert.Equal($"{Path.Combine(temp.Path, SafetensorsTorch.IndexFileName)}: shard '{shards[1]}' (holding 'lm_head.weight') does not exist in {temp.Path}", e.Message);
    }

    [Fact]
    public void Names_the_index_and_a_key_its_shard_lacks()
    {
        using var temp = new TempDirectory();
        WriteShards(temp.Path, extraKey: "model.norm.weight");

        var e = Assert.Throws<InputException>(() => SafetensorsTorch.LoadCheckpoint(temp.Path));

        Assert.Equal($"{Path.Combine(temp.Path, SafetensorsTorch.IndexFileName)}: 'model.norm.weight' is mapped to shard 'model-00001-of-00002.safetensors' but that file has no tensor of that name", e.Message);
    }

    [Fact]
    public void Reports_a_folder_without_weights()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<InputException>(() => SafetensorsTorch.LoadCheckpoint(temp.Path));

        Assert.Equal($"{temp.Path}: holds neither model.safetensors nor model.safetensors.index.json", e.Message);
    }

    private static (Dictionary<string, float[]> Tensors, string[] Shards) WriteShards(string folder, string? extraKey = null)
    {
        string[] shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"];
        var first = new Dictionary<string, float[]> { ["model.embed_tokens.weight"] = [1, 2, 3, 4], ["model.layers.0.mlp.up_proj.weight"] = [5, 6] };
        var second = new Dictionary<string, float[]> { ["lm_head.weight"] = [7, 8, 9] };
        foreach (var (file, content) in new[] { (shards[0], first), (shards[1], second) })
        {
            var tensors = content.Select(kv => (kv.Key, tensor(kv.Value))).ToList();
            SafetensorsTorch.Save(Path.Combine(folder, file), tensors, new Dictionary<string, string> { ["format"] = "pt" });
            foreach (var (_, t) in tensors)
                t.Dispose();
        }
        var weightMap = first.Keys.Select(k => (k, shards[0])).Concat(second.Keys.Select(k => (k, shards[1]))).ToList();
        if (extraKey is not null)
            weightMap.Add((extraKey, shards[0]));
        var json = "{\"metadata\":{\"total_size\":36},\"weight_map\":{" +
            string.Join(",", weightMap.Select(e => $"\"{e.Item1}\":\"{e.Item2}\"")) + "}}";
        File.WriteAllText(Path.Combine(folder, SafetensorsTorch.IndexFileName), json);
        return (first.Concat(second).ToDictionary(), shards);
    }
}
