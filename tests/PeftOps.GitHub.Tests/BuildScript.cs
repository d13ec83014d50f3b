using System.Text.RegularExpressions;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>The targets the build defines: the <c>Task("Name")</c> calls of build/build.cake and the files it loads.</summary>
internal static partial class BuildScript
{
    public static string Path => System.IO.Path.Combine(TestPaths.RepoRoot, "build", "build.cake");

    /// <summary>build/build.cake and the .cake files beside it that it loads.</summary>
    public static IReadOnlyList<string> Files => Directory.GetFiles(System.IO.Path.GetDirectoryName(Path)!, "*.cake").Order(StringComparer.Ordinal).ToList();

    public static IReadOnlySet<string> Targets(string cakeText) =>
        TaskCall().Matches(cakeText).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> Targets() => Targets(string.Join("\n", Files.Select(File.ReadAllText)));

    [GeneratedRegex(@"^\s*Task\(""(?<name>[A-Za-z]+)""\)", RegexOptions.Multiline)]
    private static partial Regex TaskCall();
}
