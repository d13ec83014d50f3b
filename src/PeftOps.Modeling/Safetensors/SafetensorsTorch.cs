using System.IO.MemoryMappedFiles;
using System.Text.Json;
using PeftOps.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Safetensors;

/// <summary>
/// safetensors files as TorchSharp tensors: CPU tensors of the stored dtype (bf16 and f16 kept),
/// bytes copied exactly in both directions.
/// </summary>
public static class SafetensorsTorch
{
    /// <summary>The single-file checkpoint name of Hugging Face.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>The index of a sharded checkpoint: <c>{"metadata": {...}, "weight_map": {tensor: shard file}}</c>.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>Every tensor of <paramref name="path"/>, in file order.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new InputException($"{path}: file not found");

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var header = SafetensorsHeader.Read(stream, path);
        var result = new Dictionary<string, Tensor>(header.Entries.Count, StringComparer.Ordinal);
        // The data is memory-mapped and copied once, tensor by tensor, straight into the tensor's own memory:
        // no managed buffer holds the weights on the way.
        using var map = stream.Length > header.DataStart
            ? MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true)
            : null;
        using var view = map?.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            foreach (var entry in header.Entries)
            {
                var scalarType = ToScalarType(entry.Dtype) ?? throw new InputException(
                    $"{path}: tensor '{entry.Name}' has dtype {entry.Dtype}, which TorchSharp has no type for");
                var tensor = empty(entry.Shape, scalarType, CPU);
                result.Add(entry.Name, tensor);
                if (entry.Length > 0)
                    CopyMapped(view!, header.DataStart + entry.Begin, tensor.bytes);
            }
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values)
                tensor.Dispose();
            throw;
        }
    }

    private static void CopyMapped(MemoryMappedViewAccessor view, long offset, Span<byte> destination) =>
        view.SafeMemoryMappedViewHandle.ReadSpan((ulong)(view.PointerOffset + offset), destination);

    /// <summary>
    /// Writes tensors (any device, any strides) to <paramref name="path"/> atomically, in the reference writer's layout.
    /// </summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        SafetensorsFile.Write(path, tensors.Select(item => ToSafetensors(item.Name, item.Tensor)).ToList(), metadata);
    }

    /// <summary>A tensor's bytes as a <see cref="SafetensorsTensor"/> (copied through a contiguous CPU tensor).</summary>
    public static SafetensorsTensor ToSafetensors(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tensor);
        var dtype = ToSafetensorsDtype(tensor.dtype)
            ?? throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot store", nameof(tensor));
        using var scope = NewDisposeScope();
        var cpuTensor = tensor.detach().cpu().contiguous();
        var data = cpuTensor.numel() == 0 ? [] : cpuTensor.bytes.ToArray();
        return new SafetensorsTensor(name, dtype, tensor.shape.ToArray(), data);
    }

    /// <summary>A CPU tensor holding <paramref name="tensor"/>'s bytes.</summary>
    public static Tensor ToTorch(SafetensorsTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var scalarType = ToScalarType(tensor.Dtype)
            ?? throw new ArgumentException($"tensor '{tensor.Name}' has dtype {tensor.Dtype}, which TorchSharp has no type for", nameof(tensor));
        var result = empty(tensor.Shape, scalarType, CPU);
        if (tensor.Data.Length > 0)
            tensor.Data.Span.CopyTo(result.bytes);
        return result;
    }

    /// <summary>
    /// The weights of a Hugging Face checkpoint folder: <c>model.safetensors</c>, or the shards listed by
    /// <c>model.safetensors.index.json</c> (every tensor of the weight map, from the shard it names).
    /// </summary>
    public static Dictionary<string, Tensor> LoadCheckpoint(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new InputException($"{folder}: checkpoint folder not found");

        var indexPath = Path.Combine(folder, IndexFileName);
        if (File.Exists(indexPath))
            return LoadSharded(folder, indexPath);

        var single = Path.Combine(folder, ModelFileName);
        if (File.Exists(single))
            return Load(single);

        throw new InputException($"{folder}: holds neither {ModelFileName} nor {IndexFileName}");
    }

    private static Dictionary<string, Tensor> LoadSharded(string folder, string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        foreach (var (name, shard) in weightMap)
        {
            if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                throw new InputException($"{indexPath}: weight_map entry '{name}' names shard '{shard}', which is not a file name in the checkpoint folder");
            if (!File.Exists(Path.Combine(folder, shard)))
                throw new InputException($"{indexPath}: shard '{shard}' (holding '{name}') does not exist in {folder}");
        }

        var result = new Dictionary<string, Tensor>(weightMap.Count, StringComparer.Ordinal);
        try
        {
            foreach (var shard in weightMap.Values.Distinct(StringComparer.Ordinal))
            {
                var tensors = Load(Path.Combine(folder, shard));
                foreach (var (name, tensor) in tensors)
                {
                    if (weightMap.TryGetValue(name, out var mapped) && mapped == shard)
                        result.Add(name, tensor);
                    else
                        tensor.Dispose();
                }
            }
            foreach (var (name, shard) in weightMap)
            {
                if (!result.ContainsKey(name))
                    throw new InputException($"{indexPath}: '{name}' is mapped to shard '{shard}' but that file has no tensor of that name");
            }
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values)
                tensor.Dispose();
            throw;
        }
    }

    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(indexPath));
        }
        catch (JsonException e)
        {
            throw new InputException($"{indexPath}: not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
            {
                throw new InputException($"{indexPath}: expected an object with a \"weight_map\" object of tensor name -> shard file");
            }
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new InputException($"{indexPath}: weight_map entry '{entry.Name}' must be a shard file name, found {entry.Value.GetRawText()}");
                if (!weightMap.TryAdd(entry.Name, entry.Value.GetString()!))
                    throw new InputException($"{indexPath}: weight_map names '{entry.Name}' twice");
            }
            if (weightMap.Count == 0)
                throw new InputException($"{indexPath}: weight_map is empty");
            return weightMap;
        }
    }

    /// <summary>The TorchSharp type of a safetensors dtype, or null (U16, U32, U64, F8 have none).</summary>
    public static ScalarType? ToScalarType(SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.BOOL => ScalarType.Bool,
        SafetensorsDtype.U8 => ScalarType.Byte,
        SafetensorsDtype.I8 => ScalarType.Int8,
        SafetensorsDtype.I16 => ScalarType.Int16,
        SafetensorsDtype.F16 => ScalarType.Float16,
        SafetensorsDtype.BF16 => ScalarType.BFloat16,
        SafetensorsDtype.I32 => ScalarType.Int32,
        SafetensorsDtype.F32 => ScalarType.Float32,
        SafetensorsDtype.F64 => ScalarType.Float64,
        SafetensorsDtype.I64 => ScalarType.Int64,
        _ => null,
    };

    /// <summary>The safetensors dtype of a TorchSharp type, or null (complex and quantised types have none).</summary>
    public static SafetensorsDtype? ToSafetensorsDtype(ScalarType type) => type switch
    {
        ScalarType.Bool => SafetensorsDtype.BOOL,
        ScalarType.Byte => SafetensorsDtype.U8,
        ScalarType.Int8 => SafetensorsDtype.I8,
        ScalarType.Int16 => SafetensorsDtype.I16,
        ScalarType.Float16 => SafetensorsDtype.F16,
        ScalarType.BFloat16 => SafetensorsDtype.BF16,
        ScalarType.Int32 => SafetensorsDtype.I32,
        ScalarType.Float32 => SafetensorsDtype.F32,
        ScalarType.Float64 => SafetensorsDtype.F64,
        ScalarType.Int64 => SafetensorsDtype.I64,
        _ => null,
    };
}
