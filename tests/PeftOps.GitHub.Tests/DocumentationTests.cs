using System.Text.RegularExpressions;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>
/// The repository's documents stand alone: every relative link points to a file of the repository; and they describe
/// the product as it is, leaving what is new or changed to CHANGELOG.md.
/// </summary>
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
    public void No_file_points_at_the_team_notes_outside_the_repository()
    {
        string[] kinds = [".md", ".cs", ".csproj", ".props", ".targets", ".cake", ".sh", ".yml", ".yaml", ".py"];
        var self = Path.Combine("tests", "PeftOps.GitHub.Tests", "DocumentationTests.cs");
        var pointing = GitCli.Run(TestPaths.RepoRoot, "ls-files", "-co", "--exclude-standard").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => kinds.Contains(Path.GetExtension(f)) && f != self && File.Exists(Path.Combine(TestPaths.RepoRoot, f)))
            .Where(f => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, f)) is var text
                && (text.Contains("DESIGN.md", StringComparison.Ordinal) || text.Contains("shared/docs", StringComparison.Ordinal)))
            .ToList();

        Assert.True(pointing.Count == 0, "these point at the team's notes outside the repository: " + string.Join(", ", pointing));
    }

    [Fact]
    public void Only_the_changelog_says_what_is_new_or_changed()
    {
        var notes = DocumentPaths()
            .Where(d => d != "CHANGELOG.md")
            .SelectMany(d => File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, d)).Select((line, i) => (d, i, line)))
            .Where(l => ChangelogNote().IsMatch(l.line))
            .Select(l => $"{l.d}:{l.i + 1}: {l.line.Trim()}")
            .ToList();

        Assert.True(notes.Count == 0, "changelog notes belong in CHANGELOG.md:\n" + string.Join('\n', notes));
        Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "CHANGELOG.md")));
    }

    // "(new)", "(changed)", and "new:" / "Changed:" at the start of a cell, sentence or line
    [GeneratedRegex(@"\((?:new|changed)\)|(?:^|[|;.]\s*)(?:new|changed):\s", RegexOptions.IgnoreCase)]
    private static partial Regex ChangelogNote();

    // [text](target) and ![alt](target), skipping inline code spans is not needed: link syntax inside code is rare here
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();
}
