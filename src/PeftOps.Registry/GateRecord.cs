namespace PeftOps.Registry;

/// <summary>The regression gate's verdict (pass, fail, inconclusive) and whether the release overrode it with <c>--force</c>.</summary>
public sealed record GateRecord(string Verdict, bool Forced);
