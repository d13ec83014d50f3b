using PeftOps.Contracts;


namespace PeftOps.Modeling.Safetensors;

/// <summary>
/// A safetensors file read into memory (https://github.com/huggingface/safetensors):
/// <c>[u64 LE N][N bytes of JSON header, space-padded to a multiple of 8][data section]</c>.
/// Reading validates the header strictly; writing reproduces the layout of the reference writer byte for byte.
/// </summary>
public sealed class SafetensorsFile
{
    private SafetensorsFile(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafetensorsTensor> tensors)
    {
        Metadata = metadata;
        Tensors = tensors;
    }

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensors in the order of their data in the file.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    /// <summary>The tensor named <paramref name="name"/>, or null.</summary>
    public SafetensorsTensor? Find(string name) => Tensors.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>Reads and validates <paramref name="path"/>; a corrupt or truncated file is an <see cref="InputException"/> naming it.</summary>
    public static SafetensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new InputException($"{path}: file not found");

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var header = SafetensorsHeader.Read(stream, path);
        var tensors = new List<SafetensorsTensor>(header.Entries.Count);
        foreach (var entry in header.Entries)
        {
            if (entry.Length > Array.MaxLength)
                throw new InputException($"{path}: tensor '{entry.Name}' holds {entry.Length} bytes, more than one in-memory buffer can; load it with SafetensorsTorch.Load");
            var data = new byte[entry.Length];
            stream.Position = header.DataStart + entry.Begin;
            stream.ReadExactly(data);
            tensors.Add(new SafetensorsTensor(entry.Name, entry.Dtype, entry.Shape, data));
        }
        return new SafetensorsFile(header.Metadata, tensors);
    }

    /// <summary>
    /// The header of <paramref name="path"/> alone, validated as <see cref="Read"/> validates it: its metadata and each
    /// tensor's shape by name, without reading any tensor's data.
    /// </summary>
    public static (IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, long[]> Shapes) ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new InputException($"{path}: file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var header = SafetensorsHeader.Read(stream, path);
        return (header.Metadata, header.Entries.ToDictionary(e => e.Name, e => e.Shape, StringComparer.Ordinal));
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (a temp file beside it, then a rename),
    /// laid out as the reference writer does: by descending dtype rank, then by name (UTF-8 byte order).
    /// </summary>
    public static void Write(string path, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = SafetensorsLayout.Order(tensors);
        var header = SafetensorsLayout.Header(ordered, metadata);

        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        AtomicFile.Write(fullPath, stream =>
        {
            stream.Write(header);
            foreach (var tensor in ordered)
                stream.Write(tensor.Data.Span);
        });
    }

    /// <summary>The file's bytes as <see cref="Write"/> would write them.</summary>
    public static byte[] Serialize(IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = SafetensorsLayout.Order(tensors);
        var header = SafetensorsLayout.Header(ordered, metadata);
        using var buffer = new MemoryStream();
        buffer.Write(header);
        foreach (var tensor in ordered)
            buffer.Write(tensor.Data.Span);
        return buffer.ToArray();
    }
}
