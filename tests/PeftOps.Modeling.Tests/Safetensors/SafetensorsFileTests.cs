using PeftOps.Contracts;
using System.Buffers.Binary;
using System.Text;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Safetensors;

public sealed class SafetensorsFileTests
{
    /// <summary>Every fixture file saved by Python's safetensors (through PEFT and transformers), relative to the fixtures.</summary>
    internal static List<string> PythonWrittenFilePaths() =>
        [.. Directory.EnumerateFiles(TestPaths.HfPeftFixtures, "*.safetensors", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(TestPaths.HfPeftFixtures, file))
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> PythonWrittenFiles() => [.. PythonWrittenFilePaths()];

    [Fact]
    public void Every_PEFT_adapter_fixture_is_covered()
    {
        var adapters = PythonWrittenFilePaths().Where(f => f.EndsWith("adapter_model.safetensors", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, adapters.Count);
    }

    [Theory]
    [MemberData(nameof(PythonWrittenFiles))]
    public void Rewrites_a_file_saved_by_Python_byte_for_byte(string relativePath)
    {
        var original = Path.Combine(TestPaths.HfPeftFixtures, relativePath);
        var file = SafetensorsFile.Read(original);
        using var temp = new TempDirectory();
        var copy = temp.Combine("copy.safetensors");

        // Python's writer emits __metadata__ only when given some
        SafetensorsFile.Write(copy, file.Tensors, file.Metadata.Count == 0 ? null : file.Metadata);

        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
    }

    [Fact]
    public void Reads_the_tiny_bert_inputs_with_their_names_shapes_and_dtypes()
    {
        var file = SafetensorsFile.Read(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert", "io.safetensors"));

        Assert.Equal(["attention_mask", "input_ids", "labels", "logits"], file.Tensors.Select(t => t.Name));
        Assert.Equal([SafetensorsDtype.I64, SafetensorsDtype.I64, SafetensorsDtype.I64, SafetensorsDtype.F32], file.Tensors.Select(t => t.Dtype));
        Assert.Equal([3L, 10], file.Find("input_ids")!.Shape);
        Assert.Equal([3L], file.Find("labels")!.Shape);
        Assert.Equal([3L, 5], file.Find("logits")!.Shape);
        Assert.Empty(file.Metadata);
        var mask = file.Find("attention_mask")!.Data.Span;
        for (var i = 0; i < 30; i++)
            Assert.Contains(BinaryPrimitives.ReadInt64LittleEndian(mask[(i * 8)..]), new long[] { 0, 1 });
    }

    [Fact]
    public void Reads_the_metadata_of_a_PEFT_adapter()
    {
        var file = SafetensorsFile.Read(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora", "adapter_model.safetensors"));

        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Single(file.Metadata);
    }

    [Fact]
    public void Round_trips_every_dtype_with_metadata()
    {
        var random = new Random(7);
        var tensors = Enum.GetValues<SafetensorsDtype>()
            .Select(dtype =>
            {
                var bytes = new byte[2 * 3 * dtype.Size()];
                random.NextBytes(bytes);
                return new SafetensorsTensor($"t.{dtype}", dtype, [2, 3], bytes);
            })
            .ToList();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "a \"quoted\" \\ value\n" };
        using var temp = new TempDirectory();
        var path = temp.Combine("all.safetensors");

        SafetensorsFile.Write(path, tensors, metadata);
        var read = SafetensorsFile.Read(path);

        Assert.Equal(metadata, read.Metadata);
        Assert.Equal(tensors.Count, read.Tensors.Count);
        foreach (var tensor in tensors)
        {
            var back = read.Find(tensor.Name)!;
            Assert.Equal(tensor.Dtype, back.Dtype);
            Assert.Equal(tensor.Shape, back.Shape);
            Assert.Equal(tensor.Data.ToArray(), back.Data.ToArray());
        }
    }

    [Fact]
    public void Lays_out_tensors_by_descending_dtype_rank_then_by_name()
    {
        SafetensorsTensor Make(string name, SafetensorsDtype dtype) => new(name, dtype, [1], new byte[dtype.Size()]);
        var bytes = SafetensorsFile.Serialize(
        [
            Make("b", SafetensorsDtype.F32), Make("z", SafetensorsDtype.U8), Make("a", SafetensorsDtype.F32),
            Make("m", SafetensorsDtype.I64), Make("c", SafetensorsDtype.BF16), Make("B", SafetensorsDtype.F32),
        ]);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);

        Assert.Equal(
            "{\"m\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}," +
            "\"B\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}," +
            "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}," +
            "\"c\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[20,22]}," +
            "\"z\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[22,23]}}",
            header.TrimEnd(' '));
    }

    [Fact]
    public void Writes_the_reference_bytes_for_one_tensor()
    {
        // safetensors' own test_serialization: "attn.0", F32, [1,2,3], values 0..5
        var data = new byte[24];
        for (var i = 0; i < 6; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), i);

        var bytes = SafetensorsFile.Serialize([new SafetensorsTensor("attn.0", SafetensorsDtype.F32, [1, 2, 3], data)]);

        var json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        Assert.Equal(64UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(json, Encoding.UTF8.GetString(bytes, 8, json.Length));
        Assert.Equal(8 + 64 + 24, bytes.Length);
        Assert.Equal(data, bytes[^24..]);
    }

    [Fact]
    public void Writes_an_empty_file_with_metadata_as_the_reference_does()
    {
        var bytes = SafetensorsFile.Serialize([], new Dictionary<string, string> { ["framework"] = "pt" });

        Assert.Equal(40UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal("{\"__metadata__\":{\"framework\":\"pt\"}}     ", Encoding.UTF8.GetString(bytes, 8, 40));
    }

    [Fact]
    public void Pads_the_header_with_spaces_to_a_multiple_of_8()
    {
        for (var nameLength = 1; nameLength <= 16; nameLength++)
        {
            var bytes = SafetensorsFile.Serialize([new SafetensorsTensor(new string('w', nameLength), SafetensorsDtype.U8, [3], new byte[] { 1, 2, 3 })]);
            var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            var header = Encoding.UTF8.GetString(bytes, 8, headerLength);

            Assert.Equal(0, headerLength % 8);
            Assert.EndsWith("}", header.TrimEnd(' '), StringComparison.Ordinal);
            Assert.True(header.Length - header.TrimEnd(' ').Length < 8);
            Assert.Equal(new byte[] { 1, 2, 3 }, bytes[^3..]);
        }
    }

    [Fact]
    public void Round_trips_empty_and_scalar_tensors()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("edge.safetensors");
        var scalar = BitConverter.GetBytes(3.5);
        SafetensorsFile.Write(path,
        [
            new SafetensorsTensor("empty", SafetensorsDtype.F32, [0], ReadOnlyMemory<byte>.Empty),
            new SafetensorsTensor("empty2d", SafetensorsDtype.I64, [4, 0], ReadOnlyMemory<byte>.Empty),
            new SafetensorsTensor("scalar", SafetensorsDtype.F64, [], scalar),
        ]);

        var read = SafetensorsFile.Read(path);

        Assert.Equal([0L], read.Find("empty")!.Shape);
        Assert.Equal(0, read.Find("empty")!.Data.Length);
        Assert.Equal([4L, 0], read.Find("empty2d")!.Shape);
        Assert.Empty(read.Find("scalar")!.Shape);
        Assert.Equal(scalar, read.Find("scalar")!.Data.ToArray());
    }

    [Fact]
    public void Escapes_tensor_names_as_serde_json_does()
    {
        var name = "a\"b\\c\td\u0001é/x";
        var bytes = SafetensorsFile.Serialize([new SafetensorsTensor(name, SafetensorsDtype.U8, [1], new byte[] { 9 })]);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));

        Assert.StartsWith("{\"a\\\"b\\\\c\\td\\u0001é/x\":", header, StringComparison.Ordinal);
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.Combine("n.safetensors"), bytes);
        Assert.Equal(name, SafetensorsFile.Read(temp.Combine("n.safetensors")).Tensors[0].Name);
    }

    [Fact]
    public void Overwrites_a_larger_file_without_leaving_its_tail_or_temp_files()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("w.safetensors");
        SafetensorsFile.Write(path, [new SafetensorsTensor("big", SafetensorsDtype.F32, [1000], new byte[4000])]);

        SafetensorsFile.Write(path, [new SafetensorsTensor("small", SafetensorsDtype.F32, [2], new byte[8])]);

        Assert.Equal(SafetensorsFile.Serialize([new SafetensorsTensor("small", SafetensorsDtype.F32, [2], new byte[8])]), File.ReadAllBytes(path));
        Assert.Equal(["w.safetensors"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Refuses_to_write_data_that_does_not_match_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => SafetensorsFile.Serialize([new SafetensorsTensor("w", SafetensorsDtype.F32, [2, 2], new byte[12])]));
        Assert.Contains("tensor 'w' has shape [2,2] and dtype F32 (16 bytes) but 12 bytes of data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_truncated_file_naming_the_tensor_and_the_sizes()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("x.safetensors");
        var bytes = SafetensorsFile.Serialize([new SafetensorsTensor("w", SafetensorsDtype.F32, [100], new byte[400])]);
        File.WriteAllBytes(path, bytes[..^4]);

        var e = Assert.Throws<InputException>(() => SafetensorsFile.Read(path));

        Assert.Equal($"{path}: tensor 'w' ends at byte 400 but the data section holds 396 bytes", e.Message);
    }

    public static TheoryData<string, byte[], string> CorruptFiles() => new()
    {
        { "too short", new byte[] { 1, 2, 3 }, "the file is 3 bytes long, shorter than the 8-byte header length that starts a safetensors file" },
        { "huge header", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, (byte)'{', (byte)'}' }, "header length 4294967295 exceeds the 100000000-byte limit (not a safetensors file, or corrupt)" },
        { "header past end", Truncate(RawSafetensors.Build("{}      ", 0), 4), "header length 8 runs past the end of the file (12 bytes)" },
        { "not json", RawSafetensors.Build("{\"w\":   ", 0), "header is not valid JSON (" },
        { "not an object", RawSafetensors.Build("[1,2]   ", 0), "header must be a JSON object, found Array" },
        { "no dtype", RawSafetensors.Build("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has no dtype" },
        { "unknown dtype", RawSafetensors.Build("{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has unknown dtype \"F128\" (expected one of BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64)" },
        { "no shape", RawSafetensors.Build("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor 'w' has no shape" },
        { "negative dim", RawSafetensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' shape must be an array of non-negative integers, found [-1]" },
        { "no offsets", RawSafetensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w' has no data_offsets" },
        { "three offsets", RawSafetensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), "tensor 'w' data_offsets must be [begin, end], found [0,4,8]" },
        { "size mismatch", RawSafetensors.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20), "tensor 'w' has shape [2,3] and dtype F32 (24 bytes) but data_offsets [0,20] span 20 bytes" },
        { "gap", RawSafetensors.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[6,10]}}", 10), "tensor 'b' starts at byte 6 but the previous tensor 'a' ends at byte 4 (gap)" },
        { "overlap", RawSafetensors.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6), "tensor 'b' starts at byte 2, inside tensor 'a' which ends at byte 4 (overlap)" },
        { "late start", RawSafetensors.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}}", 8), "tensor 'a' starts at byte 4 but the first tensor must start at byte 0" },
        { "trailing bytes", RawSafetensors.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 7), "the data section holds 7 bytes but the tensors end at byte 4 (3 trailing bytes)" },
        { "duplicate name", RawSafetensors.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2), "header names 'a' twice" },
        { "metadata not strings", RawSafetensors.Build("{\"__metadata__\":{\"epoch\":3}}", 0), "__metadata__ key 'epoch' must be a string, found Number" },
        { "bad utf8", RawSafetensors.Build(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }, []), "header is not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Rejects_a_corrupt_file_with_a_message_naming_it(string what, byte[] bytes, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine($"{what.Replace(' ', '-')}.safetensors");
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InputException>(() => SafetensorsFile.Read(path));

        Assert.StartsWith($"{path}: {expected}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_tensors_in_offset_order_whatever_the_key_order_of_the_header()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("keys.safetensors");
        var json = "{\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[3,5]},\"a\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}";
        File.WriteAllBytes(path, RawSafetensors.Build(Encoding.UTF8.GetBytes(json), [1, 2, 3, 4, 5]));

        var file = SafetensorsFile.Read(path);

        Assert.Equal(["a", "b"], file.Tensors.Select(t => t.Name));
        Assert.Equal(new byte[] { 1, 2, 3 }, file.Tensors[0].Data.ToArray());
        Assert.Equal(new byte[] { 4, 5 }, file.Tensors[1].Data.ToArray());
    }

    [Fact]
    public void Reports_a_missing_file()
    {
        var e = Assert.Throws<InputException>(() => SafetensorsFile.Read("/nonexistent/x.safetensors"));
        Assert.Equal("/nonexistent/x.safetensors: file not found", e.Message);
    }

    private static byte[] Truncate(byte[] bytes, int count) => bytes[..^count];
}
