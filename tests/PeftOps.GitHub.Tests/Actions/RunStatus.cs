namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// What the status functions of an <c>if:</c> answer: <c>success()</c> while every earlier step (or every job in
/// <c>needs</c>) succeeded, <c>failure()</c> once one failed (for a job: any job it depends on, directly or not),
/// <c>cancelled()</c> when the run was cancelled; <c>always()</c> is true whatever happened.
/// (docs.github.com/actions/reference/workflows-and-actions/expressions#status-check-functions)
/// </summary>
internal sealed record RunStatus(bool Succeeded, bool Failed, bool Cancelled)
{
    /// <summary>Nothing has failed: a job's first step, or a job without <c>needs</c>.</summary>
    public static readonly RunStatus Success = new(true, false, false);

    /// <summary>From the results (<c>success</c>, <c>failure</c>, <c>cancelled</c>, <c>skipped</c>) of the earlier steps.</summary>
    public static RunStatus Of(IReadOnlyCollection<string?> results) => OfJob(results, results);

    /// <summary>
    /// For a job: <paramref name="needs"/> are the results of the jobs it names in <c>needs</c>, <paramref name="ancestors"/>
    /// those and every job they depend on in turn. A skipped need is not a success, nor a failure.
    /// </summary>
    public static RunStatus OfJob(IReadOnlyCollection<string?> needs, IReadOnlyCollection<string?> ancestors) => new(
        needs.All(r => r == "success"),
        ancestors.Any(r => r == "failure"),
        ancestors.Any(r => r == "cancelled"));
}
