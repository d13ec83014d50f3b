using System.Text.RegularExpressions;
using PeftOps.Cli.Commands;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.TestSupport;
using PeftOps.Training.DataChecks;

namespace PeftOps.Cli.Tests;

/// <summary>
/// The data diff against a baseline version, read from its commit in a real git repository in a temp folder: rows
/// added, removed and relabelled per file and label; a commit the clone lacks makes the diff say why.
/// </summary>
public sealed partial class DataDiffTests
{
    private static readonly string[] Committed =
    [
        """{"text": "i like red", "label": "red"}""", """{"text": "the sky is blue", "label": "blue"}""",
        """{"text": "green grass", "label": "green"}""", """{"text": "a ruby", "label": "red"}""", """{"text": "the sea", "label": "green"}""",
    ];

    [Fact]
    public async Task Rows_added_removed_and_relabelled_since_the_baselines_commit_are_counted_per_file_and_label()
    {
        using var adapter = new TinyAdapter();
        var root = Path.GetDirectoryName(adapter.Directory)!;
        File.WriteAllLines(adapter.Combine("data", "train.jsonl"), Committed);
        var commit = CommitAll(root);
        // now: "a ruby" removed, "the sea" relabelled green -> blue (its punctuation changed too), two rows added
        File.WriteAllLines(adapter.Combine("data", "train.jsonl"),
        [
            Committed[0], Committed[1], Committed[2], """{"text": "The sea!", "label": "blue"}""",
            """{"text": "my apple", "label": "red"}""", """{"text": "the ocean", "label": "blue"}""",
        ]);
        var spec = AdapterSpecLoader.Load(adapter.Directory);
        var baseline = WriteManifest(root, commit);

        var data = await BaselineDataOf.ReadAsync(baseline, spec, CancellationToken.None);
        var diff = DataCheckRecipe.Run(spec, baseline: data).Diff!;

        Assert.Equal((DataDiff.Ran, "v1.0.0", commit), (diff.Status, diff.BaselineVersion, diff.BaselineCommit));
        var train = diff.Files.Single(f => f.Split == "train");
        Assert.Equal((true, 2, 1, 1), (train.Sha256Changed, train.Added, train.Removed, train.Relabelled));
        Assert.Equal(
            [new LabelDiff("blue", 1, 0, 1, 0), new LabelDiff("green", 0, 0, 0, 1), new LabelDiff("red", 1, 1, 0, 0)],
            train.Labels);
        Assert.All(diff.Files.Where(f => f.Split != "train"), f => Assert.False(f.Sha256Changed));
    }

    [Fact]
    public async Task A_baseline_commit_the_clone_does_not_have_makes_the_diff_say_so()
    {
        using var adapter = new TinyAdapter();
        var root = Path.GetDirectoryName(adapter.Directory)!;
        CommitAll(root);
        var missing = new string('a', 40);

        var data = await BaselineDataOf.ReadAsync(WriteManifest(root, missing), AdapterSpecLoader.Load(adapter.Directory), CancellationToken.None);
        var diff = DataCheckRecipe.Run(AdapterSpecLoader.Load(adapter.Directory), baseline: data).Diff!;

        Assert.Equal(DataDiff.NotRun, diff.Status);
        Assert.Equal($"commit {missing} of v1.0.0 is not in this clone (a shallow checkout? fetch with --depth 0 or fetch-depth: 0)", diff.Reason);
        Assert.Empty(diff.Files);
    }

    private static string CommitAll(string root)
    {
        GitCli.Run(root, "init", "--quiet");
        GitCli.Run(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "tiny");
        GitCli.Run(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "data");
        return GitCli.Run(root, "rev-parse", "HEAD").Trim();
    }

    /// <summary>A pulled baseline folder: docs/manifest-json.md's example manifest at version v1.0.0 and the given commit.</summary>
    private static string WriteManifest(string root, string commit)
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "manifest-json.md"));
        var start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var example = doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)];
        var folder = Path.Combine(root, "baseline");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Manifest.FileName),
            CommitKey().Replace(example.Replace("\"adapter\": \"support-intents\"", "\"adapter\": \"tiny\"", StringComparison.Ordinal)
                .Replace("\"version\": \"v1.3.0\"", "\"version\": \"v1.0.0\"", StringComparison.Ordinal), $"\"commit\": \"{commit}\""));
        return folder;
    }

    [GeneratedRegex("\"commit\": \"[0-9a-f]{40}\"")]
    private static partial Regex CommitKey();
}
