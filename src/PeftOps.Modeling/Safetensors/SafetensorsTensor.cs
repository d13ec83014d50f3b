namespace PeftOps.Modeling.Safetensors;

/// <summary>
/// One named tensor of a safetensors file: little-endian, C-contiguous bytes,
/// <c>Data.Length == product(Shape) * Dtype.Size()</c>.
/// </summary>
public sealed record SafetensorsTensor(string Name, SafetensorsDtype Dtype, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => SafetensorsDtypes.ElementCount(Shape);
}
