namespace PeftOps.Contracts;

/// <summary>
/// What an inconclusive rule makes of the gate: a <see cref="Verdict.Fail"/>, a <see cref="Verdict.Pass"/>, or an
/// <see cref="Verdict.Inconclusive"/> gate with a neutral check run. adapter.yaml <c>gate.on_inconclusive</c>; gate.json.
/// </summary>
public enum OnInconclusive
{
    Fail,
    Pass,
    Neutral,
}

