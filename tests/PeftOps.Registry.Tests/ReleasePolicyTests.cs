using PeftOps.Contracts;

namespace PeftOps.Registry.Tests;

/// <summary>
/// <see cref="ReleasePolicy"/>: every verdict under every trigger, what an approval must carry, and that a release
/// goes through the policy after the gate is computed again (see also AdapterRegistryTests for a refused fail).
/// </summary>
public sealed class ReleasePolicyTests : IDisposable
{
    private const string Tag = "support-intents@v1.0.0";
    private const string GateFile = "artifacts/support-intents/gate/gate.json";
    private static readonly ReleaseFacts ApprovedPush = new(ReleaseTrigger.TagPush, "release-manager");
    private static readonly ReleaseFacts DispatchWithReason = new(ReleaseTrigger.Dispatch, "release-manager", AcceptedVerdict.Any, "reviewed in PR 7");
    private static readonly ReleaseFacts LocalForced = new(ReleaseTrigger.Local, "engineer", AcceptedVerdict.Any, "reviewed in PR 7");

    private readonly GitSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private async Task<AdapterRegistry> RegistryAsync() =>
        new(await _sandbox.OpenAsync(), new FolderArtifactStore(_sandbox.Combine("store")), new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero)));

    public static TheoryData<Verdict, ReleaseFacts, GateRecord?, string?> Scenarios => new()
    {
        // pass ships under every trigger, approved or not, and records nothing forced
        { Verdict.Pass, ApprovedPush, new GateRecord("pass", false), null },
        { Verdict.Pass, new ReleaseFacts(ReleaseTrigger.Dispatch, "release-manager"), new GateRecord("pass", false), null },
        { Verdict.Pass, LocalForced, new GateRecord("pass", false), null },
        // inconclusive: a pushed tag ships it on the release environment's approval; a dispatch or a local run with a reason
        { Verdict.Inconclusive, ApprovedPush, new GateRecord("inconclusive", true, $"inconclusive gate accepted by approving the release environment for {Tag}", "release-manager"), null },
        { Verdict.Inconclusive, DispatchWithReason, new GateRecord("inconclusive", true, "reviewed in PR 7", "release-manager"), null },
        { Verdict.Inconclusive, new ReleaseFacts(ReleaseTrigger.Local, "engineer", AcceptedVerdict.Inconclusive, "reviewed in PR 7"), new GateRecord("inconclusive", true, "reviewed in PR 7", "engineer"), null },
        // fail: never by a pushed tag; a dispatch or a local run with --force, a reason and an approver
        { Verdict.Fail, ApprovedPush, null, $"{GateFile}: gate verdict is fail; {Tag} is not released by a tag push (a failed gate ships only through release.yml's 'release' dispatch with a reason, approved by the release environment)" },
        { Verdict.Fail, DispatchWithReason, new GateRecord("fail", true, "reviewed in PR 7", "release-manager"), null },
        { Verdict.Fail, LocalForced, new GateRecord("fail", true, "reviewed in PR 7", "engineer"), null },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Decides_each_verdict_under_each_trigger(Verdict verdict, ReleaseFacts facts, GateRecord? released, string? refused)
    {
        if (released is not null)
        {
            Assert.Equal(released, ReleasePolicy.Decide(verdict, facts, Tag, GateFile));
            return;
        }
        var error = Assert.Throws<InputException>(() => ReleasePolicy.Decide(verdict, facts, Tag, GateFile));
        Assert.Equal(refused, error.Message);
    }

    [Theory]
    [InlineData(Verdict.Fail, ReleaseTrigger.Dispatch, " (release.yml's 'release' dispatch releases it only with a reason, recorded in the lineage with who approved it)")]
    [InlineData(Verdict.Inconclusive, ReleaseTrigger.Dispatch, " (release.yml's 'release' dispatch releases it only with a reason, recorded in the lineage with who approved it)")]
    [InlineData(Verdict.Fail, ReleaseTrigger.Local, " (release it through the approved path: --force with --reason and --approved-by, recorded in the lineage)")]
    [InlineData(Verdict.Inconclusive, ReleaseTrigger.Local, " (release it through the approved path: --force or --accept-inconclusive with --reason and --approved-by, recorded in the lineage)")]
    public void Without_an_approval_only_a_pass_ships_and_the_refusal_names_the_way_that_would(Verdict verdict, ReleaseTrigger trigger, string way)
    {
        var error = Assert.Throws<InputException>(() => ReleasePolicy.Decide(verdict, new ReleaseFacts(trigger, "someone"), Tag, GateFile));

        Assert.Equal($"{GateFile}: gate verdict is {Verdicts.Name(verdict)}; {Tag} is not released{way}", error.Message);
    }

    [Fact]
    public void Accepting_an_inconclusive_gate_never_ships_a_failed_one()
    {
        var facts = new ReleaseFacts(ReleaseTrigger.Local, "engineer", AcceptedVerdict.Inconclusive, "reviewed in PR 7");

        var error = Assert.Throws<InputException>(() => ReleasePolicy.Decide(Verdict.Fail, facts, Tag, GateFile));

        Assert.Equal($"{GateFile}: gate verdict is fail; {Tag} is not released (--accept-inconclusive accepts an inconclusive gate, never a failed one; --force with --reason and --approved-by releases it, recorded in the lineage)", error.Message);
    }

    [Fact]
    public void A_pushed_tag_names_who_approved_the_release_environment()
    {
        var error = Assert.Throws<InputException>(() => ReleasePolicy.Decide(Verdict.Inconclusive, new ReleaseFacts(ReleaseTrigger.TagPush), Tag, GateFile));

        Assert.Equal($"{GateFile}: gate verdict is inconclusive; {Tag} is not released: a tag push releases an inconclusive gate on the release environment's approval, and --approved-by names no approver", error.Message);
    }

    [Theory]
    [InlineData(ReleaseTrigger.Local, "engineer", AcceptedVerdict.Any, null, "--force needs --reason and --approved-by: releasing a gate that did not pass is recorded with who approved it and why")]
    [InlineData(ReleaseTrigger.Dispatch, null, AcceptedVerdict.Any, "why", "--force needs --reason and --approved-by: releasing a gate that did not pass is recorded with who approved it and why")]
    [InlineData(ReleaseTrigger.Local, "engineer", AcceptedVerdict.Inconclusive, " ", "--accept-inconclusive needs --reason and --approved-by: releasing a gate that did not pass is recorded with who approved it and why")]
    [InlineData(ReleaseTrigger.Local, "engineer", AcceptedVerdict.Pass, "why", "--reason goes with --force or --accept-inconclusive (it records why a gate that did not pass was released)")]
    [InlineData(ReleaseTrigger.TagPush, "release-manager", AcceptedVerdict.Any, "why", "--trigger tag-push: a pushed tag is approved by the release environment alone; --force belongs to a dispatch or a local release")]
    public void Facts_that_contradict_each_other_are_refused_before_any_work(ReleaseTrigger trigger, string? approvedBy, AcceptedVerdict accepts, string? reason, string message)
    {
        var facts = new ReleaseFacts(trigger, approvedBy, accepts, reason);

        var error = Assert.Throws<InputException>(() => new CandidateFolder().Policy(facts));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("local", ReleaseTrigger.Local)]
    [InlineData("tag-push", ReleaseTrigger.TagPush)]
    [InlineData("dispatch", ReleaseTrigger.Dispatch)]
    public void Reads_the_trigger_names_the_workflow_passes(string name, ReleaseTrigger trigger)
    {
        Assert.Equal(trigger, ReleaseTriggers.Parse(name));
        Assert.Equal(name, ReleaseTriggers.Name(trigger));
    }

    [Fact]
    public void An_unknown_trigger_is_bad_input() =>
        Assert.Equal("--trigger: expected local, tag-push, dispatch (was 'push')", Assert.Throws<InputException>(() => ReleaseTriggers.Parse("push")).Message);

    [Fact]
    public async Task A_pushed_tag_releases_an_inconclusive_gate_it_computed_again_and_the_lineage_names_the_approver()
    {
        var registry = await RegistryAsync();
        var folder = new CandidateFolder(Verdict: "inconclusive");
        var candidate = folder.WriteTo(_sandbox.Combine("artifacts", "support-intents"));

        var result = await registry.ReleaseAsync("support-intents", "1.0.0", candidate, folder.Policy(ApprovedPush), retrained: true, CancellationToken.None);

        Assert.Equal(new GateRecord("inconclusive", true, $"inconclusive gate accepted by approving the release environment for {Tag}", "release-manager"), result.Manifest.Gate);
    }

    [Fact]
    public async Task A_gate_json_that_does_not_follow_from_its_eval_json_is_refused_whatever_was_approved()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder(Verdict: "fail").WriteTo(_sandbox.Combine("artifacts", "support-intents"));

        // the fail folder's gate.json, judged under the policy that would have passed it
        var error = await Assert.ThrowsAsync<InputException>(() =>
            registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(CandidateFolder.Forced), retrained: true, CancellationToken.None));

        Assert.Equal(
            $"{Path.Combine(candidate, "gate", "gate.json")}: does not follow from {Path.Combine(candidate, "eval", "eval.json")} under adapters/support-intents/adapter.yaml's gate policy "
            + "(recomputed verdict pass, the file says fail); run peftops gate again instead of editing gate.json",
            error.Message);
        Assert.Empty(_sandbox.RemoteTags());
    }
}
