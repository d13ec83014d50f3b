using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Training.Data;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// One data file of a classifier's spec as the checks see it: its name (<c>train</c>, <c>validation</c>,
/// <c>out_of_scope</c>, <c>out_of_scope_validation</c>, or a suite's name), role, and rows. Out-of-scope messages
/// (scope files, out-of-scope suites) are unlabelled; sentence-pair suites hold no single texts and are not read.
/// </summary>
public sealed record CheckedSplit(string Name, string Role, string Path, string FullPath, bool OutOfScope, IReadOnlyList<LabeledText> Rows)
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Evaluation = "evaluation";

    public bool Labelled => !OutOfScope;

    /// <summary>Every file the spec names, in spec order; a file that cannot be read is an <see cref="InputException"/> naming its line.</summary>
    public static IReadOnlyList<CheckedSplit> Read(AdapterSpec spec) =>
        [.. Sources(spec).Select(s => Of(spec, s.Name, s.Role, s.Path, s.OutOfScope))];

    /// <summary>The data files the checks read, as (name, role, path as the spec writes it, out of scope), in spec order.</summary>
    public static IReadOnlyList<(string Name, string Role, string Path, bool OutOfScope)> Sources(AdapterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sources = SpecDataFiles.Training(spec).Select(f => (f.Name, f.Role == DataRole.Train ? Train : Validation, f.Path, !f.LabelRequired)).ToList();
        foreach (var suite in spec.Evaluation.Target.Concat(spec.Evaluation.NonTarget).Where(s => s.Kind is SuiteKind.Classification or SuiteKind.OutOfScope))
            sources.Add((suite.Name, Evaluation, suite.Data, suite.Kind == SuiteKind.OutOfScope));
        return sources;
    }

    private static CheckedSplit Of(AdapterSpec spec, string name, string role, string path, bool outOfScope)
    {
        var full = spec.Resolve(path);
        return new CheckedSplit(name, role, path, full, outOfScope, DataFile.ReadLabeled(full, labelRequired: !outOfScope));
    }

    public DataRow Row(LabeledText row) => new(Name, row.Line, row.Text, Labelled ? row.Label : null);

    public DataSplit Describe() => new(Name, Role, Path, DataFile.Sha256(FullPath), Rows.Count,
        Labelled ? Rows.GroupBy(r => r.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)
            : new Dictionary<string, int>());
}
