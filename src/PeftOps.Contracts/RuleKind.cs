namespace PeftOps.Contracts;

/// <summary>JSON: <c>min</c>, <c>min_delta</c>, <c>max_drop</c>.</summary>
public enum RuleKind
{
    Min,
    MinDelta,
    MaxDrop,
}
