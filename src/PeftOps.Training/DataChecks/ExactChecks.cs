using PeftOps.Contracts;
using PeftOps.Training.Data;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// The checks on normalised text (<see cref="TextKey"/>) and label counts: exact duplicates within and across
/// splits, leakage (training and an evaluation suite share a text), conflicting labels, in-scope texts that are also
/// out-of-scope messages, label counts, rare and unseen labels and imbalance. Pure: no model.
/// </summary>
public static class ExactChecks
{
    /// <param name="LeakedRows">evaluation rows in a leakage group: what max_leakage counts.</param>
    public sealed record Findings(
        IReadOnlyList<RowGroup> Duplicates, IReadOnlyList<RowGroup> Conflicts, IReadOnlyList<RowGroup> ScopeOverlap,
        IReadOnlyList<LabelCount> RareLabels, IReadOnlyList<LabelCount> UnseenLabels, IReadOnlyList<SplitImbalance> Imbalance,
        int LeakedRows);

    public const string Within = "within";
    public const string Across = "across";
    public const string Leakage = "leakage";
    public const string Conflict = "conflict";
    public const string Scope = "scope";

    /// <param name="inScopeLabels">the spec's scope.in_scope_labels; empty: every label is in scope.</param>
    public static Findings Run(IReadOnlyList<CheckedSplit> splits, IReadOnlyCollection<string> inScopeLabels, int minLabelCount)
    {
        var rows = splits.SelectMany(s => s.Rows.Select(r => (Split: s, Row: r, Key: TextKey.Of(r.Text)))).ToList();
        var groups = rows.GroupBy(r => r.Key, StringComparer.Ordinal).Where(g => g.Key.Length > 0).ToList();
        bool InScope(CheckedSplit s, LabeledText r) => s.Labelled && (inScopeLabels.Count == 0 || inScopeLabels.Contains(r.Label));

        var duplicates = new List<RowGroup>();
        var leaked = 0;
        var conflicts = new List<RowGroup>();
        var scope = new List<RowGroup>();
        foreach (var group in groups.Where(g => g.Count() > 1))
        {
            var members = group.ToList();
            var roles = members.Select(m => m.Split.Role).ToHashSet(StringComparer.Ordinal);
            var kind = roles.Contains(CheckedSplit.Train) && roles.Contains(CheckedSplit.Evaluation) ? Leakage
                : members.Select(m => m.Split.Name).Distinct(StringComparer.Ordinal).Count() > 1 ? Across : Within;
            if (kind == Leakage)
                leaked += members.Count(m => m.Split.Role == CheckedSplit.Evaluation);
            duplicates.Add(new RowGroup(kind, group.Key, [.. members.Select(m => m.Split.Row(m.Row))]));

            var labelled = members.Where(m => m.Split.Labelled).ToList();
            if (labelled.Select(m => m.Row.Label).Distinct(StringComparer.Ordinal).Count() > 1)
                conflicts.Add(new RowGroup(Conflict, group.Key, [.. labelled.Select(m => m.Split.Row(m.Row))]));

            var inScope = members.Where(m => InScope(m.Split, m.Row)).ToList();
            if (inScope.Count > 0 && inScope.Count < members.Count)
                scope.Add(new RowGroup(Scope, group.Key, [.. members.Select(m => m.Split.Row(m.Row))]));
        }

        var counts = splits.Where(s => s.Labelled).Select(s => (Split: s, Counts: s.Describe().Labels)).ToList();
        var trainLabels = splits.Where(s => s is { Labelled: true, Role: CheckedSplit.Train }).SelectMany(s => s.Rows.Select(r => r.Label)).ToHashSet(StringComparer.Ordinal);
        return new Findings(
            duplicates, conflicts, scope,
            [.. counts.Where(c => c.Split.Role == CheckedSplit.Train).SelectMany(c => c.Counts.Where(kv => kv.Value < minLabelCount).Select(kv => new LabelCount(c.Split.Name, kv.Key, kv.Value)))],
            [.. counts.Where(c => c.Split.Role != CheckedSplit.Train).SelectMany(c => c.Counts.Where(kv => !trainLabels.Contains(kv.Key)).Select(kv => new LabelCount(c.Split.Name, kv.Key, kv.Value)))],
            [.. counts.Where(c => c.Counts.Count > 0).Select(c => Imbalance(c.Split.Name, c.Counts))],
            leaked);
    }

    private static SplitImbalance Imbalance(string split, IReadOnlyDictionary<string, int> counts)
    {
        // ties go to the ordinally first label, so the record does not depend on dictionary order
        var largest = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First();
        var smallest = counts.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First();
        return new SplitImbalance(split, largest.Key, largest.Value, smallest.Key, smallest.Value, (double)largest.Value / smallest.Value);
    }
}
