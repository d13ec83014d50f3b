namespace PeftOps.Contracts;

/// <summary>JSON: <c>pass</c>, <c>fail</c>, <c>inconclusive</c>; of one rule or of the whole gate.</summary>
public enum Verdict
{
    Pass,
    Fail,
    Inconclusive,
}
