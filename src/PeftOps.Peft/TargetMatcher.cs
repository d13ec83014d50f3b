using System.Text.RegularExpressions;
using PeftOps.Peft.Format;

namespace PeftOps.Peft;

/// <summary>
/// Which modules an adapter targets, with PEFT's rules: a string target_modules is a regular expression
/// full-matched against the module name; a list matches a name that equals an entry or ends with
/// "." + entry; layers_to_transform keeps names whose layer index (the number after a layers pattern
/// such as "layer" or "layers") is listed; rank_pattern/alpha_pattern keys match "(^|.*\.)key$".
/// </summary>
public static class TargetMatcher
{
    private static readonly string[] CommonLayersPatterns = ["layers", "h", "block", "blocks", "layer"];

    public static bool IsTarget(PeftAdapterConfig config, string moduleName)
    {
        var matched = config.TargetModulesRegex is { } regex
            ? Regex.IsMatch(moduleName, $"^(?:{regex})$")
            : MatchesSuffix(config.TargetModules, moduleName);
        return matched && InTransformedLayer(config, moduleName);
    }

    public static bool MatchesSuffix(IEnumerable<string> suffixes, string moduleName) =>
        suffixes.Any(s => moduleName == s || moduleName.EndsWith("." + s, StringComparison.Ordinal));

    /// <summary>The value of the first pattern key matching <paramref name="moduleName"/>, if any.</summary>
    public static bool TryMatchPattern<T>(IReadOnlyDictionary<string, T> patterns, string moduleName, out T value)
    {
        foreach (var (key, v) in patterns)
        {
            if (Regex.IsMatch(moduleName, $"(^|.*\\.){key}$"))
            {
                value = v;
                return true;
            }
        }
        value = default!;
        return false;
    }

    private static bool InTransformedLayer(PeftAdapterConfig config, string moduleName)
    {
        if (config.LayersToTransform.Count == 0)
            return true;
        var patterns = config.LayersPattern is { } p ? [p] : CommonLayersPatterns;
        foreach (var pattern in patterns)
        {
            var m = Regex.Match(moduleName, $@"^.*\.{Regex.Escape(pattern)}\.(\d+)\.");
            if (m.Success)
                return config.LayersToTransform.Contains(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return false;
    }
}
