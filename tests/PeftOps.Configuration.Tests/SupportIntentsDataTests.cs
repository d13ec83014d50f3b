using System.Globalization;
using System.Text;
using System.Text.Json;
using PeftOps.TestSupport;

namespace PeftOps.Configuration.Tests;

/// <summary>
/// Checks the committed data of <c>adapters/support-intents</c>: labels, split sizes, well-formed lines,
/// no leakage between splits, and the non-target suites.
/// </summary>
public sealed class SupportIntentsDataTests
{
    private static readonly string AdapterDir = Path.Combine(TestPaths.RepoRoot, "adapters", "support-intents");

    private static readonly string[] ExpectedLabels =
    [
        "order_status", "cancel_order", "change_shipping_address", "return_item", "exchange_size",
        "refund_status", "delivery_options", "product_availability", "sizing_advice", "payment_problem",
        "promo_code", "damaged_or_defective", "account_access", "speak_to_human", "shoe_care",
    ];

    private static readonly (string Split, int Minimum)[] Splits =
    [
        ("train", 40), ("validation", 8), ("test", 15),
    ];

    private sealed record Example(string Split, int Line, string Text, string Label);

    [Fact]
    public void Every_split_uses_exactly_the_fifteen_labels()
    {
        foreach (var (split, _) in Splits)
        {
            var labels = ReadSplit(split).Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            Assert.Equal(ExpectedLabels.Order(StringComparer.Ordinal), labels);
        }
    }

    [Fact]
    public void Every_label_has_at_least_40_training_8_validation_and_15_test_examples()
    {
        foreach (var (split, minimum) in Splits)
        {
            var counts = ReadSplit(split).GroupBy(e => e.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var label in ExpectedLabels)
            {
                var count = counts.GetValueOrDefault(label);
                Assert.True(count >= minimum, $"{split}: {label} has {count} examples, expected at least {minimum}");
            }
        }
    }

    [Fact]
    public void Every_line_is_a_json_object_with_non_empty_text_and_a_label()
    {
        foreach (var (split, _) in Splits)
        {
            var path = SplitPath(split);
            var lines = File.ReadAllLines(path);
            Assert.NotEmpty(lines);
            for (var i = 0; i < lines.Length; i++)
            {
                using var doc = JsonDocument.Parse(lines[i]);
                var root = doc.RootElement;
                Assert.True(root.ValueKind == JsonValueKind.Object, $"{path}:{i + 1}: not a JSON object");
                Assert.True(root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(text.GetString()), $"{path}:{i + 1}: text missing or empty");
                Assert.True(root.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(label.GetString()), $"{path}:{i + 1}: label missing or empty");
            }
        }
    }

    [Fact]
    public void No_text_appears_twice_in_the_data()
    {
        var all = Splits.SelectMany(s => ReadSplit(s.Split)).ToList();
        var duplicates = all.GroupBy(e => e.Text.Trim(), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(", ", g.Select(e => $"{e.Split}:{e.Line}")) + $" \"{g.Key}\"")
            .ToList();
        Assert.True(duplicates.Count == 0, "duplicate texts:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void No_example_is_a_near_duplicate_of_one_in_another_split()
    {
        // Near-duplicate: token-set Jaccard |A ∩ B| / |A ∪ B| >= 0.8 after lowercasing and stripping digits and punctuation.
        var bySplit = Splits.ToDictionary(s => s.Split, s => ReadSplit(s.Split).Select(e => (e, Tokens(e.Text))).ToList(), StringComparer.Ordinal);
        var found = new List<string>();
        var names = Splits.Select(s => s.Split).ToArray();
        for (var a = 0; a < names.Length; a++)
        {
            for (var b = a + 1; b < names.Length; b++)
            {
                foreach (var (left, leftTokens) in bySplit[names[a]])
                {
                    foreach (var (right, rightTokens) in bySplit[names[b]])
                    {
                        var similarity = Jaccard(leftTokens, rightTokens);
                        if (similarity >= 0.8)
                            found.Add($"{left.Split}:{left.Line} ~ {right.Split}:{right.Line} ({similarity:F2}) \"{left.Text}\" / \"{right.Text}\"");
                    }
                }
            }
        }
        Assert.True(found.Count == 0, "near-duplicates across splits:\n" + string.Join("\n", found));
    }

    [Fact]
    public void Near_duplicate_check_flags_a_copy_with_a_changed_order_number()
    {
        var original = Tokens("Where is my order #AS-104233? It's been 9 days!!");
        var copy = Tokens("where is my order AS-220871 - it's been 12 days");
        var different = Tokens("Can I swap these for a size EU 43 instead?");
        Assert.True(Jaccard(original, copy) >= 0.8);
        Assert.True(Jaccard(original, different) < 0.8);
    }

    [Fact]
    public void General_pairs_have_at_least_100_scores_in_range_covering_four_bands()
    {
        var path = Path.Combine(AdapterDir, "eval", "general_pairs.tsv");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var bands = new HashSet<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            var fields = lines[i].Split('\t');
            Assert.True(fields.Length == 3, $"{path}:{i + 1}: expected score<TAB>sentence1<TAB>sentence2, found {fields.Length} fields");
            Assert.True(double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var score),
                $"{path}:{i + 1}: score '{fields[0]}' is not a number");
            Assert.InRange(score, 0.0, 5.0);
            Assert.False(string.IsNullOrWhiteSpace(fields[1]), $"{path}:{i + 1}: sentence1 is empty");
            Assert.False(string.IsNullOrWhiteSpace(fields[2]), $"{path}:{i + 1}: sentence2 is empty");
            bands.Add((int)Math.Min(Math.Floor(score), 5));
        }
        Assert.True(lines.Count >= 100, $"{path}: {lines.Count} pairs, expected at least 100");
        Assert.True(bands.Count >= 4, $"{path}: scores cover bands [{string.Join(", ", bands.Order())}], expected at least 4 of 0..5");
    }

    [Fact]
    public void Off_topic_messages_number_at_least_60_and_none_is_in_the_training_data()
    {
        var path = Path.Combine(AdapterDir, "eval", "off_topic.jsonl");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        Assert.True(lines.Count >= 60, $"{path}: {lines.Count} messages, expected at least 60");

        var training = Splits.SelectMany(s => ReadSplit(s.Split)).Select(e => Normalise(e.Text)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.True(doc.RootElement.TryGetProperty("text", out var text) && !string.IsNullOrWhiteSpace(text.GetString()),
                $"{path}:{i + 1}: text missing or empty");
            Assert.DoesNotContain(Normalise(text.GetString()!), training);
        }
    }

    private static string SplitPath(string split) => Path.Combine(AdapterDir, "data", split + ".jsonl");

    private static List<Example> ReadSplit(string split)
    {
        var lines = File.ReadAllLines(SplitPath(split));
        var examples = new List<Example>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            examples.Add(new Example(split, i + 1, doc.RootElement.GetProperty("text").GetString()!, doc.RootElement.GetProperty("label").GetString()!));
        }
        return examples;
    }

    private static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            builder.Append(char.IsLetter(c) || c == '\'' ? c : ' ');
        return string.Join(' ', builder.ToString().Replace("'", "", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static HashSet<string> Tokens(string text) =>
        Normalise(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
            return 1.0;
        var intersection = a.Count(b.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }
}
