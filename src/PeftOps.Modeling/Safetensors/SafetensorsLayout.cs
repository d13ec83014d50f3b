using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PeftOps.Modeling.Safetensors;

/// <summary>
/// What the reference writer (safetensors <c>tensor.rs</c>, <c>prepare</c>) puts on disk: tensors sorted by
/// descending dtype rank then by name; the header is serde_json's compact form with <c>__metadata__</c> first,
/// then each tensor as <c>{"dtype":..,"shape":[..],"data_offsets":[begin,end]}</c> in data order,
/// padded with spaces to a multiple of 8, preceded by its length as a little-endian u64.
/// </summary>
internal static class SafetensorsLayout
{
    public static List<SafetensorsTensor> Order(IEnumerable<SafetensorsTensor> tensors)
    {
        var list = new List<SafetensorsTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            if (tensor.Name == "__metadata__")
                throw new ArgumentException("'__metadata__' is reserved and cannot name a tensor", nameof(tensors));
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"tensor '{tensor.Name}' is given twice", nameof(tensors));
            if (!Enum.IsDefined(tensor.Dtype))
                throw new ArgumentException($"tensor '{tensor.Name}' has an unknown dtype {(int)tensor.Dtype}", nameof(tensors));
            foreach (var dim in tensor.Shape)
            {
                if (dim < 0)
                    throw new ArgumentException($"tensor '{tensor.Name}' has a negative dimension in [{string.Join(",", tensor.Shape)}]", nameof(tensors));
            }
            var expected = tensor.ElementCount * tensor.Dtype.Size();
            if (tensor.Data.Length != expected)
                throw new ArgumentException($"tensor '{tensor.Name}' has shape [{string.Join(",", tensor.Shape)}] and dtype {tensor.Dtype} ({expected} bytes) but {tensor.Data.Length} bytes of data", nameof(tensors));
            list.Add(tensor);
        }

        // Rust's String ordering compares UTF-8 bytes
        list.Sort((a, b) =>
        {
            var byRank = ((int)b.Dtype).CompareTo((int)a.Dtype);
            return byRank != 0 ? byRank : CompareUtf8(a.Name, b.Name);
        });
        return list;
    }

    /// <summary>The 8-byte length followed by the padded JSON header.</summary>
    public static byte[] Header(IReadOnlyList<SafetensorsTensor> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder();
        json.Append('{');
        var first = true;
        if (metadata is not null)
        {
            json.Append("\"__metadata__\":{");
            var firstKey = true;
            foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, Comparer<string>.Create(CompareUtf8)))
            {
                if (!firstKey)
                    json.Append(',');
                firstKey = false;
                AppendString(json, key);
                json.Append(':');
                AppendString(json, value ?? throw new ArgumentException($"metadata '{key}' is null", nameof(metadata)));
            }
            json.Append('}');
            first = false;
        }

        long offset = 0;
        foreach (var tensor in ordered)
        {
            if (!first)
                json.Append(',');
            first = false;
            AppendString(json, tensor.Name);
            json.Append(":{\"dtype\":\"").Append(tensor.Dtype.HeaderName()).Append("\",\"shape\":[");
            json.AppendJoin(',', tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            var end = offset + tensor.Data.Length;
            json.Append("],\"data_offsets\":[")
                .Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset = end;
        }
        json.Append('}');

        var body = Encoding.UTF8.GetBytes(json.ToString());
        var padded = (body.Length + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        body.CopyTo(header, 8);
        header.AsSpan(8 + body.Length).Fill((byte)' ');
        return header;
    }

    /// <summary>serde_json's escaping: quote, backslash and control characters; everything else raw UTF-8.</summary>
    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }

    private static int CompareUtf8(string? a, string? b)
    {
        if (ReferenceEquals(a, b))
            return 0;
        if (a is null)
            return -1;
        if (b is null)
            return 1;
        return Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
    }
}
