using System.Security.Cryptography;

namespace PeftOps.Registry;

internal static class Sha256
{
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
