using System.Text.RegularExpressions;

namespace PeftOps.Configuration;

/// <summary>
/// What an adapter's name may be, in one place: a lowercase slug, the name of its folder under <c>adapters/</c>,
/// the spec's <c>name</c>, and the artifact part of its GTO tags (a subset of what GTO's grammar accepts).
/// </summary>
public static partial class AdapterName
{
    public const string Pattern = "^[a-z0-9]+(-[a-z0-9]+)*$";
    public const string Meaning = "a lowercase slug (a-z, 0-9, single hyphens, like support-intents)";

    public static bool IsValid(string value) => Slug().IsMatch(value);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Slug();
}
