using PeftOps.Configuration.Schema;

namespace PeftOps.Configuration;

/// <summary>
/// The resolved spec as flat <c>key path → canonical text</c> pairs, defaults included, for reports and diffs:
/// <c>method.r → 8</c>, <c>method.target_modules → [query, value]</c>, <c>method.rank_pattern[query] → 16</c>,
/// list items keyed by name (<c>evaluation.target[intents].data</c>, <c>gate.target[intents.accuracy].min</c>).
/// Unset optional values are absent. Keys are sorted ordinally.
/// </summary>
public static class SpecText
{
    public static IReadOnlyDictionary<string, string> Flatten(AdapterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var into = new SortedDictionary<string, string>(StringComparer.Ordinal);
        SpecDefinition.Root.Flatten(spec, "", into);
        return into;
    }

}
