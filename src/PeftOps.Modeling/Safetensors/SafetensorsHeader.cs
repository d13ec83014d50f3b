using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using PeftOps.Contracts;

namespace PeftOps.Modeling.Safetensors;

/// <summary>
/// The parsed and validated header of a safetensors file:
/// <c>[u64 LE N][N bytes of JSON][data section]</c>, entries ordered by their offsets.
/// </summary>
internal sealed record SafetensorsHeader(
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<SafetensorsHeader.Entry> Entries,
    long DataStart)
{
    /// <summary>The reference implementation refuses headers above 100 MB.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>A tensor's place in the data section: bytes [Begin, End) after <see cref="DataStart"/>.</summary>
    internal sealed record Entry(string Name, SafetensorsDtype Dtype, long[] Shape, long Begin, long End)
    {
        public long Length => End - Begin;
    }

    /// <summary>Reads and validates the header; <paramref name="stream"/> must be at offset 0 and seekable.</summary>
    public static SafetensorsHeader Read(Stream stream, string path)
    {
        var fileLength = stream.Length;
        if (fileLength < 8)
            throw Bad(path, $"the file is {fileLength} bytes long, shorter than the 8-byte header length that starts a safetensors file");

        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw Bad(path, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit (not a safetensors file, or corrupt)");
        if (8 + (long)headerLength > fileLength)
            throw Bad(path, $"header length {headerLength} runs past the end of the file ({fileLength} bytes)");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var (metadata, entries) = ParseJson(headerBytes, path);
        Validate(entries, fileLength - dataStart, path);
        return new SafetensorsHeader(metadata, entries, dataStart);
    }

    private static (Dictionary<string, string>, List<Entry>) ParseJson(byte[] headerBytes, string path)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw Bad(path, "header is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw Bad(path, $"header is not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(path, $"header must be a JSON object, found {root.ValueKind}");
            JsonInput.CheckStrings($"{path}: header", root);

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Bad(path, $"header names '{property.Name}' twice");
                if (property.Name == "__metadata__")
                    ReadMetadata(property.Value, metadata, path);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, path));
            }

            // the data section is laid out in offset order, whatever the key order of the JSON
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin)
                : a.End != b.End ? a.End.CompareTo(b.End)
                : string.CompareOrdinal(a.Name, b.Name));
            return (metadata, entries);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"__metadata__ must be an object of strings, found {value.ValueKind}");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Bad(path, $"__metadata__ key '{item.Name}' must be a string, found {item.Value.ValueKind}");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Bad(path, $"__metadata__ names '{item.Name}' twice");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"tensor '{name}' must be an object with dtype, shape and data_offsets, found {value.ValueKind}");

        if (!value.TryGetProperty("dtype", out var dtypeElement))
            throw Bad(path, $"tensor '{name}' has no dtype");
        if (dtypeElement.ValueKind != JsonValueKind.String || !SafetensorsDtypes.TryParse(dtypeElement.GetString()!, out var dtype))
            throw Bad(path, $"tensor '{name}' has unknown dtype {dtypeElement.GetRawText()} (expected one of {string.Join(", ", Enum.GetNames<SafetensorsDtype>())})");

        if (!value.TryGetProperty("shape", out var shapeElement))
            throw Bad(path, $"tensor '{name}' has no shape");
        var shape = ReadNonNegativeIntegers(shapeElement, name, "shape", path);

        if (!value.TryGetProperty("data_offsets", out var offsetsElement))
            throw Bad(path, $"tensor '{name}' has no data_offsets");
        var offsets = ReadNonNegativeIntegers(offsetsElement, name, "data_offsets", path);
        if (offsets.Length != 2)
            throw Bad(path, $"tensor '{name}' data_offsets must be [begin, end], found {offsetsElement.GetRawText()}");
        if (offsets[1] < offsets[0])
            throw Bad(path, $"tensor '{name}' data_offsets {offsetsElement.GetRawText()} end before they begin");

        long expectedBytes;
        try
        {
            expectedBytes = checked(SafetensorsDtypes.ElementCount(shape) * dtype.Size());
        }
        catch (OverflowException)
        {
            throw Bad(path, $"tensor '{name}' shape {shapeElement.GetRawText()} is too large");
        }
        if (offsets[1] - offsets[0] != expectedBytes)
            throw Bad(path, $"tensor '{name}' has shape {shapeElement.GetRawText()} and dtype {dtype} ({expectedBytes} bytes) but data_offsets {offsetsElement.GetRawText()} span {offsets[1] - offsets[0]} bytes");

        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadNonNegativeIntegers(JsonElement element, string name, string key, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"tensor '{name}' {key} must be an array of non-negative integers, found {element.GetRawText()}");
        var values = new long[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
                throw Bad(path, $"tensor '{name}' {key} must be an array of non-negative integers, found {element.GetRawText()}");
            values[i++] = v;
        }
        return values;
    }

    /// <summary>Offsets must tile the data section exactly: from 0, no gap, no overlap, nothing after the last tensor.</summary>
    private static void Validate(List<Entry> entries, long dataLength, string path)
    {
        long position = 0;
        Entry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin > position)
            {
                throw Bad(path, previous is null
                    ? $"tensor '{entry.Name}' starts at byte {entry.Begin} but the first tensor must start at byte 0"
                    : $"tensor '{entry.Name}' starts at byte {entry.Begin} but the previous tensor '{previous.Name}' ends at byte {position} (gap)");
            }
            if (entry.Begin < position)
                throw Bad(path, $"tensor '{entry.Name}' starts at byte {entry.Begin}, inside tensor '{previous!.Name}' which ends at byte {position} (overlap)");
            if (entry.End > dataLength)
                throw Bad(path, $"tensor '{entry.Name}' ends at byte {entry.End} but the data section holds {dataLength} bytes");
            position = entry.End;
            previous = entry;
        }
        if (position != dataLength)
            throw Bad(path, $"the data section holds {dataLength} bytes but the tensors end at byte {position} ({dataLength - position} trailing bytes)");
    }

    private static InputException Bad(string path, string what) => new($"{path}: {what}");
}
