namespace PeftOps.Contracts;

/// <summary>
/// The regression gate's verdict (pass, fail, inconclusive) and, when the release overrode a verdict other than pass
/// with <c>--force</c>, who approved it and why.
/// </summary>
public sealed record GateRecord(string Verdict, bool Forced, string? Reason = null, string? ApprovedBy = null);
