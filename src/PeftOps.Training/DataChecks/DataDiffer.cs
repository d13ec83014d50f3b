using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Training.Data;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// Rows added, removed and relabelled between the baseline's data and the checkout's, per file and per label. Rows
/// are matched by their normalised text (<see cref="TextKey"/>): for each text, rows with the same label on both sides
/// are unchanged, the remaining pairs are relabelled (old label to new), and what is left is added or removed.
/// </summary>
public static class DataDiffer
{
    public static DataDiff Diff(IReadOnlyList<CheckedSplit> splits, BaselineData baseline)
    {
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(baseline);
        if (baseline.NotRunReason is { } reason)
            return new DataDiff(baseline.Version, baseline.Commit, DataDiff.NotRun, reason, []);
        var files = new List<FileDiff>();
        foreach (var split in splits)
        {
            // a file outside the repository (../shared/datasets) has no history to compare with
            if (!baseline.Files.TryGetValue(DataReference.FileOf(split.Path), out var text))
                continue;
            if (text is not null && text.AsSpan().SequenceEqual(File.ReadAllBytes(DataReference.FileOf(split.FullPath))))
            {
                files.Add(new FileDiff(split.Name, split.Path, false, 0, 0, 0, []));
                continue;
            }
            IReadOnlyList<LabeledText> before;
            try
            {
                before = text is null ? [] : ReadText(split, text);
            }
            catch (InputException e)
            {
                return new DataDiff(baseline.Version, baseline.Commit, DataDiff.NotRun, $"{split.Path} at {baseline.Commit} cannot be read: {e.Message}", []);
            }
            files.Add(Compare(split.Name, split.Path, before, split.Rows, split.Labelled));
        }
        return new DataDiff(baseline.Version, baseline.Commit, DataDiff.Ran, null, files);
    }

    /// <summary>One file's diff; unlabelled rows (out-of-scope messages) count as added or removed only.</summary>
    public static FileDiff Compare(string split, string path, IReadOnlyList<LabeledText> before, IReadOnlyList<LabeledText> now, bool labelled)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(now);
        var labels = new SortedDictionary<string, int[]>(StringComparer.Ordinal);   // label -> added, removed, relabelled from, relabelled to
        int[] Of(string label) => labels.TryGetValue(label, out var c) ? c : labels[label] = new int[4];
        var (added, removed, relabelled) = (0, 0, 0);
        var old = before.GroupBy(r => TextKey.Of(r.Text), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => labelled ? r.Label : "").ToList(), StringComparer.Ordinal);
        var fresh = now.GroupBy(r => TextKey.Of(r.Text), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => labelled ? r.Label : "").ToList(), StringComparer.Ordinal);
        foreach (var key in old.Keys.Union(fresh.Keys, StringComparer.Ordinal))
        {
            var was = old.GetValueOrDefault(key) ?? [];
            var isNow = fresh.GetValueOrDefault(key) ?? [];
            // same label on both sides: unchanged
            var remaining = new List<string>(was);
            var unmatched = isNow.Where(label => !remaining.Remove(label)).ToList();
            var pairs = Math.Min(remaining.Count, unmatched.Count);
            for (var i = 0; i < pairs; i++)
            {
                relabelled++;
                Of(unmatched[i])[2]++;
                Of(remaining[i])[3]++;
            }
            foreach (var label in unmatched.Skip(pairs))
            {
                added++;
                Of(label)[0]++;
            }
            foreach (var label in remaining.Skip(pairs))
            {
                removed++;
                Of(label)[1]++;
            }
        }
        return new FileDiff(split, path, true, added, removed, relabelled,
            labelled ? [.. labels.Select(kv => new LabelDiff(kv.Key, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3]))] : []);
    }

    // the baseline's bytes of a split's file, read as the checkout's file is (same format, same row numbers)
    private static IReadOnlyList<LabeledText> ReadText(CheckedSplit split, byte[] bytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"peftops-baseline-data-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, Path.GetFileName(DataReference.FileOf(split.FullPath)));
            File.WriteAllBytes(file, bytes);
            var reference = split.FullPath.Length > DataReference.FileOf(split.FullPath).Length ? file + split.FullPath[DataReference.FileOf(split.FullPath).Length..] : file;
            return DataFile.ReadLabeled(reference, labelRequired: split.Labelled);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
