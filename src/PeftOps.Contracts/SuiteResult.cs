namespace PeftOps.Contracts;

/// <summary>
/// One suite evaluated with the base model and the adapted model on the same examples.
/// <see cref="Labels"/> orders the classes of classification suites (and the confusion matrices);
/// <see cref="Threshold"/> is the out-of-scope rejection threshold calibrated for each model.
/// </summary>
public sealed record SuiteResult
{
    public required string Name { get; init; }
    public required SuiteKind Kind { get; init; }
    public required SuiteRole Role { get; init; }
    public required string DataSha256 { get; init; }
    public IReadOnlyList<string>? Labels { get; init; }
    public OosThreshold? Threshold { get; init; }
    public required SuiteMetrics Base { get; init; }
    public required SuiteMetrics Adapted { get; init; }
    public required IReadOnlyList<ExampleResult> Examples { get; init; }
}
