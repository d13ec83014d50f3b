using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>
/// The resolved adapter.yaml as eval.json's <c>spec</c> and train.json's <c>summary.spec</c> hold it: dotted key paths
/// to canonical text (<c>method.r</c> → <c>8</c>), defaults included. Configuration's <c>SpecText.Flatten</c> writes
/// it; this is what the other projects do with it.
/// </summary>
public static class FlatSpec
{
    /// <summary>
    /// sha256 (lowercase hex) of the JSON object of <paramref name="flattened"/> with keys sorted ordinally: eval.json's
    /// <c>spec_sha256</c> and the candidate address's <c>spec</c> line.
    /// </summary>
    public static string Sha256(IReadOnlyDictionary<string, string> flattened)
    {
        ArgumentNullException.ThrowIfNull(flattened);
        var canonical = JsonSerializer.Serialize(new SortedDictionary<string, string>(flattened.ToDictionary(), StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Keys added, removed or changed from <paramref name="before"/> to <paramref name="after"/>; a first version when <paramref name="before"/> is null.</summary>
    public static SpecDiff Diff(IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string> after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
            return new SpecDiff(FirstVersion: true, []);
        return new SpecDiff(FirstVersion: false, [.. before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(key => new SpecChange(key, before.GetValueOrDefault(key), after.GetValueOrDefault(key)))
            .Where(c => !string.Equals(c.Before, c.After, StringComparison.Ordinal))]);
    }
}
