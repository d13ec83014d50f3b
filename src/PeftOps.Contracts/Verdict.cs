using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>JSON: <c>pass</c>, <c>fail</c>, <c>inconclusive</c>; of one rule or of the whole gate.</summary>
public enum Verdict
{
    Pass,
    Fail,
    Inconclusive,
}

public static class Verdicts
{
    /// <summary>The verdict as gate.json spells it (<c>pass</c>, <c>fail</c>, <c>inconclusive</c>).</summary>
    public static string Name(Verdict verdict) => JsonNamingPolicy.SnakeCaseLower.ConvertName(verdict.ToString());
}
