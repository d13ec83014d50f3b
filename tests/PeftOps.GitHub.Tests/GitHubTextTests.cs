namespace PeftOps.GitHub.Tests;

public sealed class GitHubTextTests
{
    [Fact]
    public void Leaves_a_report_that_fits_unchanged() =>
        Assert.Equal("short", GitHubText.Truncate("short", 10));

    [Fact]
    public void Cuts_a_long_report_to_the_limit_and_never_splits_a_surrogate_pair()
    {
        var emoji = "\U0001F600";   // two UTF-16 units
        var text = new string('a', 300) + string.Concat(Enumerable.Repeat(emoji, 200));
        var noteLength = GitHubText.Truncate(text, 400).Length - GitHubText.Truncate(text, 400).IndexOf("\n\n---\n", StringComparison.Ordinal);

        for (var limit = 300 + noteLength; limit < 310 + noteLength; limit++)
        {
            var cut = GitHubText.Truncate(text, limit);
            Assert.True(cut.Length <= limit);
            var kept = cut[..cut.IndexOf("\n\n---\n", StringComparison.Ordinal)];
            Assert.False(char.IsHighSurrogate(kept[^1]), $"limit {limit} split a surrogate pair");
        }
    }
}
