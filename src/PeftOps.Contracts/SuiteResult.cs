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

/// <summary>JSON: <c>target</c> (the task the adapter is for), <c>non_target</c> (behaviour it must not break).</summary>
public enum SuiteRole
{
    Target,
    NonTarget,
}

/// <summary>Out-of-scope: an example is rejected when its top probability is below the model's threshold.</summary>
public sealed record OosThreshold(double Base, double Adapted);
