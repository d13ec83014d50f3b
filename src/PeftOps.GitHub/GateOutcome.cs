using PeftOps.Contracts;

namespace PeftOps.GitHub;

/// <summary>
/// What the GitHub side needs from <c>gate.json</c> (written by <c>peftops gate</c>): the adapter,
/// the verdict (pass | fail | inconclusive), the check run conclusion (success | failure | neutral)
/// and a one-line headline. The file is read whole by Contracts' <see cref="GateResultJson"/>, the one reader of gate.json.
/// </summary>
public sealed record GateOutcome(string Adapter, string Verdict, CheckConclusionKind Conclusion, string Headline)
{
    public static GateOutcome Load(string gateJsonPath)
    {
        if (!File.Exists(gateJsonPath))
            throw new InputException($"{gateJsonPath}: file not found (expected the gate.json written by 'peftops gate')");
        var gate = GateResultJson.Read(gateJsonPath);
        if (string.IsNullOrWhiteSpace(gate.Headline))
            throw new InputException($"{gateJsonPath}: headline is empty, expected the gate's one-line summary");
        var conclusion = gate.Conclusion switch
        {
            Contracts.Conclusion.Success => CheckConclusionKind.Success,
            Contracts.Conclusion.Failure => CheckConclusionKind.Failure,
            _ => CheckConclusionKind.Neutral,
        };
        return new GateOutcome(gate.Adapter, Verdicts.Name(gate.Verdict), conclusion, gate.Headline.ReplaceLineEndings(" ").Trim());
    }
}
