namespace PeftOps.Contracts;

/// <summary>
/// One metric of one suite for a compared variant: base model and adapted model on the same examples. When the gate
/// has a rule on the metric, <see cref="Rule"/> names its kind and [<see cref="CiLow"/>, <see cref="CiHigh"/>] is the
/// gate's interval: of the adapted value for <c>min</c>, of <see cref="Delta"/> for <c>min_delta</c> and <c>max_drop</c>.
/// </summary>
public sealed record VariantMetric
{
    public required string Suite { get; init; }
    public required string Metric { get; init; }
    public required double Base { get; init; }
    public required double Adapted { get; init; }
    public required double Delta { get; init; }
    public required RuleKind? Rule { get; init; }
    public required double? CiLow { get; init; }
    public required double? CiHigh { get; init; }
}
