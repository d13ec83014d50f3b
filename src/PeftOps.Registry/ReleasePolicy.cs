using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Registry;

/// <summary>
/// Whether a gated run may ship, and what its lineage records about it: the one owner of the verdict x trigger x
/// approval decision. The verdict is the gate's (the spec's <c>on_inconclusive</c> has already made an inconclusive
/// rule a pass, a fail or an inconclusive gate), and it is trusted only once computed again from the run's eval.json
/// (<see cref="GateRecheck"/>). Then:
/// <list type="table">
/// <listheader><term>verdict</term><description>tag push | dispatch | local</description></listheader>
/// <item><term>pass</term><description>released, whatever was approved</description></item>
/// <item><term>inconclusive</term><description>released on the release environment's approval (the approver recorded) |
/// with <c>--force</c> or <c>--accept-inconclusive</c>, a reason and an approver | the same</description></item>
/// <item><term>fail</term><description>refused | with <c>--force</c>, a reason and an approver | the same</description></item>
/// </list>
/// </summary>
public sealed class ReleasePolicy
{
    private readonly GatePolicy _gate;
    private readonly DataChecksSpec _dataChecks;
    private readonly string _policySource;

    /// <summary>Checks <paramref name="facts"/> before any work: bad input when they contradict each other.</summary>
    /// <param name="gate">the spec's gate policy, under which the run's gate.json is computed again.</param>
    /// <param name="dataChecks">the spec's data_checks rules, judged again on the check counts gate.json recorded.</param>
    /// <param name="policySource">the adapter.yaml the policies came from, for messages.</param>
    public ReleasePolicy(GatePolicy gate, DataChecksSpec dataChecks, string policySource, ReleaseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(dataChecks);
        ArgumentNullException.ThrowIfNull(facts);
        Check(facts);
        (_gate, _dataChecks, _policySource, Facts) = (gate, dataChecks, policySource, facts);
    }

    /// <summary>The policy of <paramref name="spec"/>'s gate for a release asked for with <paramref name="facts"/>.</summary>
    public static ReleasePolicy For(AdapterSpec spec, ReleaseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ReleasePolicy(spec.Gate, spec.DataChecks, spec.SourcePath, facts);
    }

    public ReleaseFacts Facts { get; }

    /// <summary>
    /// The gate record a release of <paramref name="candidate"/> as <paramref name="tag"/> carries; bad input when its
    /// gate.json does not follow from its eval.json, or when the verdict may not ship this way.
    /// </summary>
    internal async Task<GateRecord> AuthorizeAsync(AdapterRegistry registry, ReleaseCandidate candidate, string tag, CancellationToken cancellationToken)
    {
        var verdict = await GateRecheck.VerdictAsync(registry, _gate, _dataChecks, _policySource, candidate, cancellationToken).ConfigureAwait(false);
        return Decide(verdict, Facts, tag, Path.Combine(candidate.Directory, RunLayout.GateFolder, RunLayout.GateFile));
    }

    /// <summary>
    /// The decision on its own: the gate record for <paramref name="verdict"/> released as <paramref name="tag"/> under
    /// <paramref name="facts"/>, or an <see cref="InputException"/> saying why not and which way would release it.
    /// </summary>
    /// <param name="gateFile">the gate.json the verdict came from, for messages.</param>
    public static GateRecord Decide(Verdict verdict, ReleaseFacts facts, string tag, string gateFile)
    {
        ArgumentNullException.ThrowIfNull(facts);
        Check(facts);
        var name = Verdicts.Name(verdict);
        if (verdict == Verdict.Pass)
            return new GateRecord(name, Forced: false);
        var refused = $"{gateFile}: gate verdict is {name}; {tag} is not released";
        if (facts.Trigger == ReleaseTrigger.TagPush)
        {
            if (verdict == Verdict.Fail)
                throw new InputException($"{refused} by a tag push (a failed gate ships only through release.yml's 'release' dispatch with a reason, approved by the release environment)");
            if (string.IsNullOrWhiteSpace(facts.ApprovedBy))
                throw new InputException($"{refused}: a tag push releases an inconclusive gate on the release environment's approval, and --approved-by names no approver");
            return new GateRecord(name, Forced: true, $"inconclusive gate accepted by approving the release environment for {tag}", facts.ApprovedBy.Trim());
        }
        var accepted = facts.Accepts == AcceptedVerdict.Any || (facts.Accepts == AcceptedVerdict.Inconclusive && verdict == Verdict.Inconclusive);
        if (!accepted)
            throw new InputException(refused + (facts.Accepts, facts.Trigger) switch
            {
                (AcceptedVerdict.Inconclusive, _) => " (--accept-inconclusive accepts an inconclusive gate, never a failed one; --force with --reason and --approved-by releases it, recorded in the lineage)",
                (_, ReleaseTrigger.Dispatch) => " (release.yml's 'release' dispatch releases it only with a reason, recorded in the lineage with who approved it)",
                _ => $" (release it through the approved path: --force{(verdict == Verdict.Inconclusive ? " or --accept-inconclusive" : "")} with --reason and --approved-by, recorded in the lineage)",
            });
        return new GateRecord(name, Forced: true, facts.Reason!.Trim(), facts.ApprovedBy!.Trim());
    }

    /// <summary>Facts that contradict each other are refused before any work, whatever the verdict turns out to be.</summary>
    private static void Check(ReleaseFacts facts)
    {
        var option = facts.Accepts == AcceptedVerdict.Inconclusive ? "--accept-inconclusive" : "--force";
        if (facts.Accepts != AcceptedVerdict.Pass && facts.Trigger == ReleaseTrigger.TagPush)
            throw new InputException($"--trigger tag-push: a pushed tag is approved by the release environment alone; {option} belongs to a dispatch or a local release");
        if (facts.Accepts != AcceptedVerdict.Pass && (string.IsNullOrWhiteSpace(facts.Reason) || string.IsNullOrWhiteSpace(facts.ApprovedBy)))
            throw new InputException($"{option} needs --reason and --approved-by: releasing a gate that did not pass is recorded with who approved it and why");
        if (facts.Accepts == AcceptedVerdict.Pass && facts.Reason is not null)
            throw new InputException("--reason goes with --force or --accept-inconclusive (it records why a gate that did not pass was released)");
    }
}
