using System.Text.RegularExpressions;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>The repository's documents stand alone: every relative link points to a file of the repository.</summary>
public sealed partial class DocumentationTests
{
    private static List<string> DocumentPaths() =>
        [.. GitCli.Run(TestPaths.RepoRoot, "ls-files", "-co", "--exclude-standard", "*.md").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => !f.Contains("__snapshots__", StringComparison.Ordinal) && File.Exists(Path.Combine(TestPaths.RepoRoot, f)))];

    public static TheoryData<string> Documents() => [.. DocumentPaths()];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_points_to_a_file_of_the_repository(string document)
    {
        var path = Path.Combine(TestPaths.RepoRoot, document);
        var broken = Link().Matches(File.ReadAllText(path))
            .Select(m => m.Groups["target"].Value.Split('#')[0])
            .Where(target => target.Length > 0 && !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
            .Where(target =>
            {
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(target)));
                var inside = resolved.StartsWith(TestPaths.RepoRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                return !inside || !(File.Exists(resolved) || Directory.Exists(resolved));
            })
            .ToList();

        Assert.Empty(broken);
    }

    [Fact]
    public void No_document_names_the_team_notes_outside_the_repository()
    {
        foreach (var document in DocumentPaths())
        {
            var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, document));
            Assert.False(text.Contains("DESIGN.md", StringComparison.Ordinal) || text.Contains("../shared/docs", StringComparison.Ordinal), $"{document} points to the team's notes outside the repository");
        }
    }

    // [text](target) and ![alt](target), skipping inline code spans is not needed: link syntax inside code is rare here
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();
}
