using System.Text.RegularExpressions;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>The targets build/build.cake defines (its <c>Task("Name")</c> calls).</summary>
internal static partial class BuildScript
{
    public static string Path => System.IO.Path.Combine(TestPaths.RepoRoot, "build", "build.cake");

    public static IReadOnlySet<string> Targets(string cakeText) =>
        TaskCall().Matches(cakeText).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> Targets() => Targets(File.ReadAllText(Path));

    [GeneratedRegex(@"^\s*Task\(""(?<name>[A-Za-z]+)""\)", RegexOptions.Multiline)]
    private static partial Regex TaskCall();
}
