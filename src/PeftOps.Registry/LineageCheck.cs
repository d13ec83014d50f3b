namespace PeftOps.Registry;

/// <summary>
/// One check of a version's lineage against what this machine holds: <see cref="Outcome"/> is <c>ok</c>,
/// <c>FAIL</c> (the bytes hash to something else than the lineage records) or <c>skip</c> (not available here).
/// </summary>
public sealed record LineageCheck(string Outcome, string What, string Detail)
{
    public const string Ok = "ok";
    public const string Failed = "FAIL";
    public const string Skipped = "skip";

    public override string ToString() => $"{Outcome,-4}  {What}: {Detail}";
}
