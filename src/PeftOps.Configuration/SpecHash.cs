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
    public static string Compute(AdapterSpec spec) => Compute(SpecText.Flatten(spec));

    /// <summary>The same hash from the flattened spec (<see cref="SpecText.Flatten"/>, as eval.json's <c>spec</c> lists it).</summary>
    public static string Compute(IReadOnlyDictionary<string, string> flattened)
    {
        ArgumentNullException.ThrowIfNull(flattened);
        var canonical = JsonSerializer.Serialize(new SortedDictionary<string, string>(flattened.ToDictionary(), StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
