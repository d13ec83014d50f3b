using PeftOps.Contracts;

namespace PeftOps.Configuration;

/// <summary>
/// What the adapter answers and what it must refuse. <see cref="InScopeLabels"/> empty: every training label is in
/// scope; otherwise training and validation rows with any other label count as out of scope.
/// </summary>
public sealed record ScopeSpec
{
    public IReadOnlyList<string> InScopeLabels { get; init; } = [];
    public OutOfScopeSpec? OutOfScope { get; init; }
}

/// <param name="Data">Out-of-scope training messages (text; a label, if any, is ignored), relative to the adapter folder.</param>
/// <param name="Validation">Out-of-scope validation messages: early stopping and the calibration report, never training.</param>
/// <param name="TargetInScopeRecall">The calibrated threshold accepts this share of the in-scope validation messages.</param>
public sealed record OutOfScopeSpec
{
    /// <summary>The class an oos-class adapter learns for out-of-scope messages.</summary>
    public const string Label = "out_of_scope";

    public string? Data { get; init; }
    public string? Validation { get; init; }
    public ScopeMethod Method { get; init; } = ScopeMethod.OosClass;
    public double TargetInScopeRecall { get; init; } = 0.95;
    public ScopeScore Score { get; init; } = ScopeScore.Confidence;

    /// <summary>
    /// oos-class: the out-of-scope messages train the classifier head only (the pooler and classifier of
    /// <c>modules_to_save</c>); the gradient of their loss stops at the encoder, so only in-scope messages move the
    /// adapted encoder and its sentence embeddings.
    /// </summary>
    public bool HeadOnly { get; init; }
}
