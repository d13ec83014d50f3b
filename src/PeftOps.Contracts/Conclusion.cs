namespace PeftOps.Contracts;

/// <summary>The GitHub check run conclusion. JSON: <c>success</c>, <c>failure</c>, <c>neutral</c>.</summary>
public enum Conclusion
{
    Success,
    Failure,
    Neutral,
}
