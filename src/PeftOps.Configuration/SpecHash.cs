using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PeftOps.Configuration;

/// <summary>
/// sha256 (lowercase hex) of the resolved spec: the JSON object of <see cref="SpecText.Flatten"/> with keys sorted
/// ordinally. Key order, comments, formatting and spelled-out defaults in the YAML do not change it.
/// </summary>
public static class SpecHash
{
    public static string Compute(AdapterSpec spec)
    {
        var canonical = JsonSerializer.Serialize(new SortedDictionary<string, string>(
            SpecText.Flatten(spec).ToDictionary(), StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
