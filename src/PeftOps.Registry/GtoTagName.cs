using System.Globalization;
using System.Text.RegularExpressions;
using Semver;

namespace PeftOps.Registry;

/// <summary>
/// GTO's tag grammar (iterative/gto <c>constants.py</c> <c>tag_re</c>, <c>tag.py</c> <c>TagTemplates</c>):
/// <code>
/// name@v1.2.3          registration (annotated, no counter)
/// name@v1.2.3!#N       deregistration
/// name#stage#N         stage assignment
/// name#stage!#N        stage unassignment
/// name@deprecated#N    deprecation of the artifact
/// </code>
/// N is one counter per artifact, shared by every action: the largest N among its tags plus one.
/// </summary>
public sealed partial record GtoTagName(string Artifact, GtoAction Action, string? Version, string? Stage, int? Counter)
{
    private const string NamePattern = "[a-z0-9]([a-z0-9-/]*[a-z0-9])?";

    public static bool IsValidName(string value) => NameRegex().IsMatch(value);

    /// <summary>Accepts <c>1.2.3</c> or <c>v1.2.3</c>; answers GTO's form <c>v1.2.3</c>, or null when it is not semver.</summary>
    public static string? NormalizeVersion(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bare = value.StartsWith('v') ? value[1..] : value;
        return SemVersion.TryParse(bare, SemVersionStyles.Strict, out var parsed) ? "v" + parsed : null;
    }

    public static SemVersion ParseVersion(string version) => SemVersion.Parse(version.TrimStart('v'), SemVersionStyles.Strict);

    public static GtoTagName Registration(string artifact, string version) => new(artifact, GtoAction.Register, version, null, null);

    public static GtoTagName? TryParse(string tag)
    {
        var match = TagRegex().Match(tag);
        if (!match.Success)
            return null;
        int? counter = match.Groups["counter"].Success ? int.Parse(match.Groups["counter"].Value, CultureInfo.InvariantCulture) : null;
        var cancel = match.Groups["cancel"].Value == "!";
        var artifact = match.Groups["artifact"].Value;
        if (match.Groups["version"].Success)
            return new(artifact, cancel ? GtoAction.Deregister : GtoAction.Register, match.Groups["version"].Value, null, counter);
        if (match.Groups["stage"].Success)
            return new(artifact, cancel ? GtoAction.Unassign : GtoAction.Assign, null, match.Groups["stage"].Value, counter);
        if (match.Groups["deprecated"].Success)
            return new(artifact, GtoAction.Deprecate, null, null, counter);
        return null; // "name@created": GTO parses it but never writes it
    }

    public override string ToString()
    {
        var body = Action switch
        {
            GtoAction.Register => $"{Artifact}@{Version}",
            GtoAction.Deregister => $"{Artifact}@{Version}!",
            GtoAction.Assign => $"{Artifact}#{Stage}",
            GtoAction.Unassign => $"{Artifact}#{Stage}!",
            GtoAction.Deprecate => $"{Artifact}@deprecated",
            _ => throw new InvalidOperationException($"unknown action {Action}"),
        };
        return Counter is { } n ? $"{body}#{n.ToString(CultureInfo.InvariantCulture)}" : body;
    }

    [GeneratedRegex("^" + NamePattern + "$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(
        "^(?<artifact>" + NamePattern + ")"
        + @"(((#(?<stage>" + NamePattern + @")|@(?<version>v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?))(?<cancel>!?))|@((?<deprecated>deprecated)|(?<created>created)))"
        + @"(#(?<counter>[0-9]+))?$")]
    private static partial Regex TagRegex();
}
