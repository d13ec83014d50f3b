using System.Buffers.Binary;
using System.Text;

namespace PeftOps.Modeling.Tests.Safetensors;

/// <summary>Hand-built safetensors bytes, for files our writer would never produce.</summary>
internal static class RawSafetensors
{
    public static byte[] Build(string headerJson, int dataBytes) => Build(Encoding.UTF8.GetBytes(headerJson), new byte[dataBytes]);

    public static byte[] Build(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}
