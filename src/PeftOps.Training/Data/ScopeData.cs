using PeftOps.Contracts;
using PeftOps.Configuration;

namespace PeftOps.Training.Data;

/// <summary>
/// Splits labelled rows by the spec's scope: with <c>scope.in_scope_labels</c>, rows with any other label are out of
/// scope; without, every row is in scope.
/// </summary>
public sealed class ScopeData
{
    private readonly HashSet<string>? inScope;

    private ScopeData(HashSet<string>? inScope, IReadOnlyList<LabeledText> train)
    {
        this.inScope = inScope;
        InScopeRows = InScope(train);
        OutOfScopeTrainRows = OutOfScope(train);
    }

    /// <exception cref="InputException">An in-scope label that no training row has, named at its spec key.</exception>
    public static ScopeData Of(AdapterSpec spec, IReadOnlyList<LabeledText> train, string trainPath)
    {
        if (spec.Scope is not { InScopeLabels.Count: > 0 } scope)
            return new ScopeData(null, train);
        var present = train.Select(r => r.Label).ToHashSet(StringComparer.Ordinal);
        var missing = scope.InScopeLabels.Where(l => !present.Contains(l)).ToList();
        if (missing.Count > 0)
            throw new InputException($"{spec.Locate("scope.in_scope_labels")}: scope.in_scope_labels must name labels of the training data {trainPath} (was {string.Join(", ", missing)}, which it lacks)");
        return new ScopeData(scope.InScopeLabels.ToHashSet(StringComparer.Ordinal), train);
    }

    public IReadOnlyList<LabeledText> InScopeRows { get; }

    public IReadOnlyList<LabeledText> OutOfScopeTrainRows { get; }

    public IReadOnlyList<LabeledText> InScope(IReadOnlyList<LabeledText> rows) => inScope is null ? rows : [.. rows.Where(r => inScope.Contains(r.Label))];

    public IReadOnlyList<LabeledText> OutOfScope(IReadOnlyList<LabeledText> rows) => inScope is null ? [] : [.. rows.Where(r => !inScope.Contains(r.Label))];

    /// <summary>The out-of-scope training messages, labelled <c>out_of_scope</c>: the data file's and the training rows outside scope.</summary>
    /// <exception cref="InputException">None at all: an oos-class adapter would learn nothing to refuse.</exception>
    public IReadOnlyList<LabeledText> OutOfScopeRows(AdapterSpec spec, string? dataFile)
    {
        var rows = OutOfScopeTrainRows.Concat(dataFile is null ? [] : DataFile.ReadLabeled(spec.Resolve(dataFile), labelRequired: false))
            .Select(r => r with { Label = OutOfScopeSpec.Label }).ToList();
        if (rows.Count == 0)
            throw new InputException($"{spec.Locate("scope.out_of_scope")}: scope.out_of_scope.method oos-class found no out-of-scope training messages (expected scope.out_of_scope.data or training rows outside scope.in_scope_labels)");
        return rows;
    }
}
