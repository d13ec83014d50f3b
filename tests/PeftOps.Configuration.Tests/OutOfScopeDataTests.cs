using System.Text.Json;
using PeftOps.TestSupport;

namespace PeftOps.Configuration.Tests;

/// <summary>
/// The hand-written out-of-scope messages of <c>adapters/support-intents</c>: enough of them, varied, and none of them
/// (nor a near copy: case, punctuation and spacing aside) in the off-topic evaluation suite or in the other split.
/// </summary>
public sealed class OutOfScopeDataTests
{
    private static readonly string AdapterDir = Path.Combine(TestPaths.RepoRoot, "adapters", "support-intents");

    [Fact]
    public void The_training_set_has_at_least_300_distinct_messages_and_validation_at_least_50()
    {
        var train = Texts("data/out_of_scope.jsonl");
        var validation = Texts("data/out_of_scope_validation.jsonl");

        Assert.True(train.Count >= 300, $"{train.Count} training messages");
        Assert.True(validation.Count >= 50, $"{validation.Count} validation messages");
        Assert.Equal(train.Count, train.Select(Normalise).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(validation.Count, validation.Select(Normalise).Distinct(StringComparer.Ordinal).Count());
        // varied wording: many different opening words, none opening more than a quarter of the messages
        var openings = train.GroupBy(t => t.Split(' ')[0].ToLowerInvariant()).ToList();
        var commonest = openings.MaxBy(g => g.Count())!;
        Assert.True(openings.Count >= 50, $"{openings.Count} different opening words");
        Assert.True(commonest.Count() <= train.Count / 4, $"'{commonest.Key}' opens {commonest.Count()} messages");
    }

    [Fact]
    public void No_message_is_shared_with_the_off_topic_suite_or_between_the_splits()
    {
        var evaluation = Texts("eval/off_topic.jsonl").Select(Normalise).ToHashSet(StringComparer.Ordinal);
        var train = Texts("data/out_of_scope.jsonl").Select(Normalise).ToList();
        var validation = Texts("data/out_of_scope_validation.jsonl").Select(Normalise).ToList();
        var inScope = new[] { "train", "validation", "test" }.SelectMany(s => Texts($"data/{s}.jsonl")).Select(Normalise).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(train, evaluation.Contains);
        Assert.DoesNotContain(validation, evaluation.Contains);
        Assert.DoesNotContain(validation, train.Contains);
        Assert.DoesNotContain(train.Concat(validation), inScope.Contains);
    }

    private static List<string> Texts(string relative) =>
        [.. File.ReadLines(Path.Combine(AdapterDir, relative)).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!)];

    private static string Normalise(string text) =>
        string.Join(' ', new string([.. text.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c == ' ')]).Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
