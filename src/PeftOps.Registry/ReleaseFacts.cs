namespace PeftOps.Registry;

/// <summary>
/// What the one asking for a release brings besides the run folder, passed through unchanged by the workflow and
/// the build: how the release was started, who approved it (<c>--approved-by</c>; in GitHub the actor), which verdict
/// other than pass they accept (<c>--force</c>: any; <c>--accept-inconclusive</c>: an inconclusive one) and why
/// (<c>--reason</c>). Whether that is enough is <see cref="ReleasePolicy"/>'s to say.
/// </summary>
public sealed record ReleaseFacts(
    ReleaseTrigger Trigger, string? ApprovedBy = null, AcceptedVerdict Accepts = AcceptedVerdict.Pass, string? Reason = null);

/// <summary>The worst gate verdict a release request accepts.</summary>
public enum AcceptedVerdict
{
    /// <summary>Only a gate that passed (no <c>--force</c>, no <c>--accept-inconclusive</c>).</summary>
    Pass,

    /// <summary><c>--accept-inconclusive</c>: an inconclusive gate, never a failed one.</summary>
    Inconclusive,

    /// <summary><c>--force</c>: a gate that failed or was inconclusive.</summary>
    Any,
}
