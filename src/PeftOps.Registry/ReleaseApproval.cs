namespace PeftOps.Registry;

/// <summary>Who approved releasing a version whose gate did not pass, and why; both go into the lineage.</summary>
public sealed record ReleaseApproval(string Reason, string ApprovedBy);
