namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// <see cref="FilterPattern"/> against the examples of GitHub's filter pattern cheat sheet
/// (docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#filter-pattern-cheat-sheet), the order of
/// negative patterns, escapes, and the patterns GitHub refuses.
/// </summary>
public sealed class FilterPatternTests
{
    [Theory]
    [InlineData("feature/*", "feature/my-branch", true)]
    [InlineData("feature/*", "feature/your-branch", true)]
    [InlineData("feature/*", "feature/beta-a/my-branch", false)]
    [InlineData("feature/**", "feature/beta-a/my-branch", true)]
    [InlineData("feature/**", "feature/mona/the/octocat", true)]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]                      // the whole name
    [InlineData("main", "Main", false)]                       // case-sensitive
    [InlineData("releases/mona-the-octocat", "releases/mona-the-octocat", true)]
    [InlineData("*", "main", true)]
    [InlineData("*", "releases/mona", false)]
    [InlineData("**", "all/the/branches", true)]
    [InlineData("*feature", "mona-feature", true)]
    [InlineData("*feature", "feature", true)]
    [InlineData("*feature", "ver-10-feature", true)]
    [InlineData("v2*", "v2", true)]
    [InlineData("v2*", "v2.9", true)]
    [InlineData("v2*", "v3.0", false)]
    [InlineData("v[12].[0-9]+.[0-9]+", "v1.10.1", true)]
    [InlineData("v[12].[0-9]+.[0-9]+", "v2.0.0", true)]
    [InlineData("v[12].[0-9]+.[0-9]+", "v3.0.0", false)]
    [InlineData("v[12].[0-9]+.[0-9]+", "v1x0.0", false)]     // '.' is a dot, not any character
    [InlineData("v[12].[0-9]+.[0-9]+", "v1..0", false)]      // + is one or more
    public void Branch_and_tag_patterns_match_as_the_cheat_sheet_shows(string pattern, string name, bool matches) =>
        Assert.Equal(matches, FilterPattern.Matches([pattern], name));

    [Theory]
    [InlineData("*", "README.md", true)]
    [InlineData("*", "docs/file.txt", false)]
    [InlineData("*.jsx?", "page.js", true)]                  // ? is zero or one of the character before it
    [InlineData("*.jsx?", "page.jsx", true)]
    [InlineData("*.jsx?", "page.jsxx", false)]
    [InlineData("**", "all/the/files.md", true)]
    [InlineData("*.js", "app.js", true)]
    [InlineData("*.js", "js/index.js", false)]
    [InlineData("**.js", "index.js", true)]
    [InlineData("**.js", "src/js/app.js", true)]
    [InlineData("docs/*", "docs/README.md", true)]
    [InlineData("docs/*", "docs/mona/octocat.txt", false)]
    [InlineData("docs/**", "docs/mona/octocat.txt", true)]
    [InlineData("docs/**/*.md", "docs/README.md", true)]     // **/ also matches no folder
    [InlineData("docs/**/*.md", "docs/mona/hello-world.md", true)]
    [InlineData("docs/**/*.md", "docs/a/markdown/file.md", true)]
    [InlineData("**/docs/**", "docs/hello.md", true)]
    [InlineData("**/docs/**", "dir/docs/my-file.txt", true)]
    [InlineData("**/docs/**", "space/docs/plan/space.doc", true)]
    [InlineData("**/README.md", "README.md", true)]
    [InlineData("**/README.md", "js/README.md", true)]
    [InlineData("**/*src/**", "a/src/app.js", true)]
    [InlineData("**/*src/**", "my-src/code/js/app.js", true)]
    [InlineData("**/*-post.md", "my-post.md", true)]
    [InlineData("**/*-post.md", "path/their-post.md", true)]
    [InlineData("**/migrate-*.sql", "migrate-10909.sql", true)]
    [InlineData("**/migrate-*.sql", "db/migrate-v1.0.sql", true)]
    [InlineData("**/migrate-*.sql", "db/sept/migrate-v1.sql", true)]
    [InlineData("adapters/**", "adapters/support-intents/adapter.yaml", true)]
    [InlineData("adapters/**", "src/adapters/x", false)]
    public void Path_patterns_match_as_the_cheat_sheet_shows(string pattern, string path, bool matches) =>
        Assert.Equal(matches, FilterPattern.Matches([pattern], path));

    [Theory]
    [InlineData("hello.md", true)]
    [InlineData("README.md", false)]
    [InlineData("docs/hello.md", false)]
    public void A_negative_pattern_excludes_what_the_patterns_before_it_matched(string path, bool matches) =>
        Assert.Equal(matches, FilterPattern.Matches(["*.md", "!README.md"], path));

    [Theory]
    [InlineData("hello.md", true)]
    [InlineData("README.md", true)]
    [InlineData("README.doc", true)]
    [InlineData("docs/README.md", false)]
    public void A_later_positive_pattern_includes_again(string path, bool matches) =>
        Assert.Equal(matches, FilterPattern.Matches(["*.md", "!README.md", "README*"], path));

    [Theory]
    [InlineData("releases/10", true)]
    [InlineData("releases/beta/mona", true)]
    [InlineData("releases/10-alpha", false)]
    [InlineData("releases/beta/3-alpha", false)]
    public void Branches_can_be_excluded_after_a_wildcard(string branch, bool matches) =>
        Assert.Equal(matches, FilterPattern.Matches(["releases/**", "!releases/**-alpha"], branch));

    [Theory]
    [InlineData("v1\\+", "v1+", true)]                       // \ makes the next character itself
    [InlineData("v1\\+", "v11", false)]
    [InlineData("feature\\*", "feature*", true)]
    [InlineData("feature\\*", "feature-x", false)]
    [InlineData("a!b", "a!b", true)]                         // ! is special only first
    [InlineData("[CB]at", "Cat", true)]
    [InlineData("[CB]at", "Rat", false)]
    [InlineData("[1-2]00", "200", true)]
    [InlineData("[1-2]00", "300", false)]
    public void Escapes_classes_and_a_later_bang_are_literal_where_GitHub_says(string pattern, string name, bool matches) =>
        Assert.Equal(matches, FilterPattern.Matches([pattern], name));

    [Theory]
    [InlineData("[")]                                        // not closed
    [InlineData("v[]")]                                      // empty
    [InlineData("v[.]")]                                     // a class holds letters and digits
    [InlineData("v[a-]")]
    [InlineData("v[z-a]")]                                   // a backwards range
    [InlineData("v[a-9]")]                                   // a range across kinds
    [InlineData("+v")]                                       // nothing to repeat
    [InlineData("v*+")]
    [InlineData("v\\")]                                      // escapes nothing
    public void A_pattern_GitHub_refuses_is_a_format_error(string pattern) =>
        Assert.Throws<FormatException>(() => FilterPattern.Matches([pattern], "v1"));

    [Fact]
    public void A_list_of_only_negative_patterns_is_refused() =>
        Assert.Throws<FormatException>(() => FilterPattern.Matches(["!main"], "dev"));

    [Fact]
    public void An_empty_list_matches_nothing() => Assert.False(FilterPattern.Matches([], "main"));
}
