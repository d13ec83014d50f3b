using PeftOps.Contracts;

namespace PeftOps.Configuration;

/// <summary>
/// The data files training reads, with the role and name eval.json's <c>data</c> and the candidate address give them:
/// <c>train</c>, <c>validation</c>, and with a scope its out-of-scope training messages (<c>out_of_scope</c>, role
/// train) and validation messages (<c>out_of_scope_validation</c>, role validation). Evaluation suites follow them.
/// </summary>
public static class SpecDataFiles
{
    public const string OutOfScope = "out_of_scope";
    public const string OutOfScopeValidation = "out_of_scope_validation";

    /// <param name="LabelRequired">False for out-of-scope messages, which are text alone.</param>
    public sealed record File(DataRole Role, string Name, string Path, bool LabelRequired);

    public static IReadOnlyList<File> Training(AdapterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var files = new List<File> { new(DataRole.Train, "train", spec.Data.Train, true) };
        if (spec.Data.Validation is { } validation)
            files.Add(new(DataRole.Validation, "validation", validation, true));
        if (spec.Scope?.OutOfScope is { } oos)
        {
            if (oos.Data is { } data)
                files.Add(new(DataRole.Train, OutOfScope, data, false));
            if (oos.Validation is { } oosValidation)
                files.Add(new(DataRole.Validation, OutOfScopeValidation, oosValidation, false));
        }
        return files;
    }
}
