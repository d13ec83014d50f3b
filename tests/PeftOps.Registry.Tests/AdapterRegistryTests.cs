using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry.Tests;

/// <summary>Stages, history, the gate check and version proposals, against real git repositories and a folder store.</summary>
public sealed class AdapterRegistryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly GitSandbox _sandbox = new();
    private readonly ManualClock _clock = new(T0);
    private readonly FolderArtifactStore _store;
    private AdapterRegistry? _registry;

    public AdapterRegistryTests() => _store = new FolderArtifactStore(_sandbox.Combine("store"));

    private async Task<AdapterRegistry> RegistryAsync() => _registry ??= new AdapterRegistry(await _sandbox.OpenAsync(), _store, _clock);

    private async Task ReleaseAsync(string version, CandidateFolder candidate, bool force = false)
    {
        var registry = await RegistryAsync();
        await registry.ReleaseAsync(candidate.Adapter, version, candidate.WriteTo(_sandbox.Combine("artifacts", version, candidate.Adapter)), candidate.Policy(force ? CandidateFolder.Forced : null), retrained: true, CancellationToken.None);
    }

    [Fact]
    public async Task Rollback_assigns_the_previous_holder_again_with_a_new_tag()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync("1.0.0", new CandidateFolder());
        await ReleaseAsync("1.1.0", new CandidateFolder(Rank: "16"));
        _clock.Now = T0.AddHours(1);
        await registry.PromoteAsync("support-intents", "1.0.0", "production", CancellationToken.None);
        _clock.Now = T0.AddHours(2);
        await registry.PromoteAsync("support-intents", "v1.1.0", "production", CancellationToken.None);
        _clock.Now = T0.AddHours(3);

        var change = await registry.RollbackAsync("support-intents", "production", CancellationToken.None);

        Assert.Equal(new StageChange("support-intents#production#3", "support-intents", "production", "v1.0.0", "v1.1.0", "origin"), change);
        Assert.Equal(
            ["support-intents#production#1", "support-intents#production#2", "support-intents#production#3", "support-intents@v1.0.0", "support-intents@v1.1.0"],
            _sandbox.RemoteTags());
        var state = await registry.StateAsync("support-intents", CancellationToken.None);
        Assert.Equal("v1.0.0", state.StageVersion("production"));
        Assert.Equal("v1.1.0", state.Latest);
        var commitOfV1 = GitSandbox.Run(_sandbox.Work, "rev-parse", "support-intents@v1.0.0^{commit}").Trim();
        Assert.Equal(commitOfV1, GitSandbox.Run(_sandbox.Remote, "rev-parse", "support-intents#production#3^{commit}").Trim());
        using var message = JsonDocument.Parse(_sandbox.TagMessage(_sandbox.Remote, "support-intents#production#3"));
        Assert.Equal("rollback", message.RootElement.GetProperty("action").GetString());
    }

    [Fact]
    public async Task History_lists_every_event_in_order_with_its_time_commit_and_author()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync("1.0.0", new CandidateFolder());
        _clock.Now = T0.AddMinutes(5);
        var second = _sandbox.Commit("adapters/support-intents/data/train.jsonl", "{\"text\":\"hi\",\"label\":\"greet\"}\n");
        await ReleaseAsync("1.1.0", new CandidateFolder(TrainSha: "d2"));
        _clock.Now = T0.AddMinutes(10);
        await registry.PromoteAsync("support-intents", "1.0.0", "production", CancellationToken.None);
        await registry.PromoteAsync("support-intents", "1.1.0", "production", CancellationToken.None);
        await registry.RollbackAsync("support-intents", "production", CancellationToken.None);

        var history = (await registry.StateAsync("support-intents", CancellationToken.None)).Events;

        Assert.Equal(
            [
                ("registration", "v1.0.0", (string?)null, T0),
                ("registration", "v1.1.0", null, T0.AddMinutes(5)),
                ("assignment", "v1.0.0", "production", T0.AddMinutes(10)),
                ("assignment", "v1.1.0", "production", T0.AddMinutes(10)),
                ("rollback", "v1.0.0", "production", T0.AddMinutes(10)),
            ],
            history.Select(e => (e.EventName, e.Version, e.Stage, e.At)));
        Assert.All(history, e => Assert.Equal("Release Manager", e.Author));
        Assert.Equal(second, history[1].Commit);
    }

    [Fact]
    public async Task Show_at_a_time_answers_which_version_held_the_stage_then()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync("1.0.0", new CandidateFolder());
        await ReleaseAsync("2.0.0", new CandidateFolder(BaseModel: "models/bigger"));
        _clock.Now = T0.AddDays(1);
        await registry.PromoteAsync("support-intents", "1.0.0", "production", CancellationToken.None);
        _clock.Now = T0.AddDays(2);
        await registry.PromoteAsync("support-intents", "2.0.0", "production", CancellationToken.None);
        _clock.Now = T0.AddDays(3);
        await registry.RollbackAsync("support-intents", "production", CancellationToken.None);

        var state = await registry.StateAsync("support-intents", CancellationToken.None);

        Assert.Null(state.StageVersion("production", T0.AddHours(12)));
        Assert.Equal("v1.0.0", state.StageVersion("production", T0.AddDays(1)));
        Assert.Equal("v1.0.0", state.StageVersion("production", T0.AddDays(1.5)));
        Assert.Equal("v2.0.0", state.StageVersion("production", T0.AddDays(2.5)));
        Assert.Equal("v1.0.0", state.StageVersion("production", T0.AddDays(4)));
        Assert.Null(state.StageVersion("staging", T0.AddDays(4)));
    }

    [Fact]
    public async Task Rolling_back_twice_walks_back_two_promotions_then_refuses()
    {
        var registry = await RegistryAsync();
        foreach (var (version, rank) in new[] { ("1.0.0", "4"), ("1.1.0", "8"), ("1.2.0", "16") })
        {
            await ReleaseAsync(version, new CandidateFolder(Rank: rank));
            await registry.PromoteAsync("support-intents", version, "production", CancellationToken.None);
        }

        var first = await registry.RollbackAsync("support-intents", "production", CancellationToken.None);
        var second = await registry.RollbackAsync("support-intents", "production", CancellationToken.None);
        var error = await Assert.ThrowsAsync<InputException>(() => registry.RollbackAsync("support-intents", "production", CancellationToken.None));

        Assert.Equal(("v1.1.0", "v1.2.0"), (first.Version, first.Replaces));
        Assert.Equal(("v1.0.0", "v1.1.0"), (second.Version, second.Replaces));
        Assert.Equal("support-intents: stage 'production' has only v1.0.0, so there is no earlier version to roll back to", error.Message);
    }

    [Fact]
    public async Task An_adapter_swapped_under_another_adapters_eval_is_refused()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder().WriteTo(_sandbox.Combine("artifacts", "support-intents"));
        File.WriteAllBytes(Path.Combine(candidate, "adapter", "adapter_model.safetensors"), Enumerable.Repeat((byte)9, 4096).ToArray());

        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.StartsWith($"{Path.Combine(candidate, "eval", "eval.json")}: adapter_sha256 is ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(": this eval.json measured another adapter", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root));
    }

    [Theory]
    [InlineData("gate", "gate.json", "\"verdict\": \"pass\"", "\"verdict\": \"maybe\"", ":4: not a valid gate.json: $.verdict: expected pass, fail or inconclusive (was \"maybe\")")]
    [InlineData("eval", "eval.json", "\"role\": \"train\"", "\"role\": \"training\"", ": not a valid eval.json: $.data[0].role: expected train, validation or suite (was \"training\")")]
    [InlineData("eval", "eval.json", "\"spec_sha256\"", "\"spec_hash\"", ": not a valid eval.json: ")]
    public async Task A_corrupt_eval_or_gate_json_is_refused_naming_the_file_and_what_was_expected(string folder, string name, string found, string replaced, string expected)
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder().WriteTo(_sandbox.Combine("artifacts", "support-intents"));
        var file = Path.Combine(candidate, folder, name);
        File.WriteAllText(file, File.ReadAllText(file).Replace(found, replaced, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.StartsWith(file + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root));
    }

    [Fact]
    public async Task A_gate_json_computed_from_another_eval_json_is_refused()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder().WriteTo(_sandbox.Combine("artifacts", "support-intents"));
        var eval = Path.Combine(candidate, "eval", "eval.json");
        File.WriteAllText(eval, File.ReadAllText(eval).Replace("\"rows\": 120", "\"rows\": 121", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.EndsWith("this gate.json was computed from another eval.json (run peftops gate again)", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root));
    }

    [Fact]
    public async Task A_candidate_is_kept_once_by_its_inputs_and_fetched_with_every_hash_checked()
    {
        var registry = await RegistryAsync();
        var run = new CandidateFolder().WriteTo(_sandbox.Combine("artifacts", "support-intents"));
        var inputs = CandidateInputs.FromEval(EvalFacts.Parse(File.ReadAllBytes(Path.Combine(run, "eval", "eval.json")), "eval.json"))!;

        var kept = await registry.KeepCandidateAsync("support-intents", inputs, run, "https://github.com/o/r/actions/runs/1", CancellationToken.None);
        var again = await registry.KeepCandidateAsync("support-intents", inputs, run, null, CancellationToken.None);
        var other = new CandidateFolder(Weights: 8).WriteTo(_sandbox.Combine("other", "support-intents"));
        var refused = await Assert.ThrowsAsync<InputException>(() => registry.KeepCandidateAsync("support-intents", inputs, other, null, CancellationToken.None));
        var fetched = await registry.FetchCandidateAsync("support-intents", inputs, _sandbox.Combine("fetched"), CancellationToken.None);
        var missing = await Assert.ThrowsAsync<NothingFoundException>(() =>
            registry.FetchCandidateAsync("support-intents", inputs with { SpecSha256 = "another-spec" }, _sandbox.Combine("nothing"), CancellationToken.None));

        Assert.Equal(kept.ToJsonBytes(), again.ToJsonBytes());   // the second keep found the first one
        Assert.Equal(kept.Address, fetched.Address);
        Assert.Contains("another adapter (sha256 ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "adapter", "adapter_model.safetensors")), File.ReadAllBytes(_sandbox.Combine("fetched", "adapter", "adapter_model.safetensors")));
        Assert.True(File.Exists(_sandbox.Combine("fetched", "candidate.json")));
        Assert.StartsWith("support-intents: no reviewed candidate in ", missing.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_sandbox.Combine("nothing")));

        // a stored file whose bytes changed is caught on fetch
        var weightsKey = Path.Combine(_store.Root, "candidates", "support-intents", kept.Address, kept.Files["adapter_model.safetensors"].Sha256);
        File.SetAttributes(weightsKey, FileAttributes.Normal);
        File.WriteAllBytes(weightsKey, Enumerable.Repeat((byte)1, 4096).ToArray());
        await Assert.ThrowsAsync<ArtifactIntegrityException>(() => registry.FetchCandidateAsync("support-intents", inputs, _sandbox.Combine("tampered"), CancellationToken.None));
        Assert.False(Directory.Exists(_sandbox.Combine("tampered")));
    }

    [Fact]
    public async Task A_failed_gate_is_refused_without_force_and_the_lineage_says_when_it_was_forced()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder(Verdict: "fail").WriteTo(_sandbox.Combine("artifacts", "support-intents"));

        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder(Verdict: "fail").Policy(), retrained: true, CancellationToken.None));
        Assert.Equal(
            $"{Path.Combine(candidate, "gate", "gate.json")}: gate verdict is fail; support-intents@v1.0.0 is not released (release it through the approved path: --force with --reason and --approved-by, recorded in the lineage)",
            error.Message);
        Assert.Empty(_sandbox.RemoteTags());
        Assert.False(Directory.Exists(_store.Root));

        var result = await registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder(Verdict: "fail").Policy(CandidateFolder.Forced), retrained: true, CancellationToken.None);

        Assert.Equal(new GateRecord("fail", true, "accepted in a test", "tester"), result.Manifest.Gate);
        using var lineage = JsonDocument.Parse(_sandbox.TagMessage(_sandbox.Remote, "support-intents@v1.0.0"));
        Assert.Equal("fail", lineage.RootElement.GetProperty("gate").GetProperty("verdict").GetString());
        Assert.True(lineage.RootElement.GetProperty("gate").GetProperty("forced").GetBoolean());
        Assert.Equal("tester", lineage.RootElement.GetProperty("gate").GetProperty("approved_by").GetString());
        Assert.Equal("accepted in a test", lineage.RootElement.GetProperty("gate").GetProperty("reason").GetString());
        Assert.Equal("retrained", lineage.RootElement.GetProperty("origin").GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("v1.3.1", "patch", "builtin:all-MiniLM-L6-v2", "b1", "8", "d1")]
    [InlineData("v1.4.0", "minor", "builtin:all-MiniLM-L6-v2", "b1", "16", "d1")]
    [InlineData("v1.4.0", "minor", "builtin:all-MiniLM-L6-v2", "b1", "8", "d9")]
    [InlineData("v2.0.0", "major", "models/other-encoder", "b1", "16", "d9")]
    [InlineData("v2.0.0", "major", "builtin:all-MiniLM-L6-v2", "b2", "8", "d1")]
    public async Task The_next_version_follows_what_changed(string expected, string bump, string baseModel, string baseSha, string rank, string trainSha)
    {
        var registry = await RegistryAsync();
        await ReleaseAsync("1.2.0", new CandidateFolder());
        await ReleaseAsync("1.3.0", new CandidateFolder(Report: "# second\n"));
        var candidate = new CandidateFolder(BaseModel: baseModel, BaseSha: baseSha, Rank: rank, TrainSha: trainSha).WriteTo(_sandbox.Combine("next", "support-intents"));

        var proposal = await registry.ProposeNextVersionAsync("support-intents", candidate, CancellationToken.None);

        Assert.Equal((expected, bump, "v1.3.0"), (proposal.Version, proposal.Bump, proposal.Previous));
        Assert.NotEmpty(proposal.Reasons);
    }

    [Fact]
    public async Task The_first_version_proposed_is_1_0_0()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder().WriteTo(_sandbox.Combine("next", "support-intents"));

        var proposal = await registry.ProposeNextVersionAsync("support-intents", candidate, CancellationToken.None);

        Assert.Equal(("v1.0.0", "initial"), (proposal.Version, proposal.Bump));
    }

    [Fact]
    public async Task The_parent_version_is_the_latest_version_before_this_one()
    {
        await ReleaseAsync("1.0.0", new CandidateFolder());
        await ReleaseAsync("2.0.0", new CandidateFolder(BaseSha: "b2"));
        await ReleaseAsync("1.0.1", new CandidateFolder(Report: "# hotfix\n"));
        var registry = await RegistryAsync();

        var parents = new List<string?>();
        foreach (var version in new[] { "1.0.0", "2.0.0", "1.0.1" })
            parents.Add((await registry.VerifyAsync("support-intents", version, CancellationToken.None)).Manifest.ParentVersion);

        Assert.Equal([null, "v1.0.0", "v1.0.0"], parents);
    }

    [Fact]
    public async Task Deregistration_and_deprecation_are_written_as_gto_writes_them()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync("1.0.0", new CandidateFolder());
        await ReleaseAsync("1.1.0", new CandidateFolder(Rank: "16"));
        await registry.PromoteAsync("support-intents", "1.1.0", "production", CancellationToken.None);

        var deregistered = await registry.DeregisterAsync("support-intents", "1.1.0", "broke checkout intents", CancellationToken.None);
        var deprecated = await registry.DeprecateAsync("support-intents", "replaced by support-intents-v2", CancellationToken.None);

        Assert.Equal("support-intents@v1.1.0!#2", deregistered.Tag);
        Assert.Equal("support-intents@deprecated#3", deprecated.Tag);
        var state = await registry.StateAsync("support-intents", CancellationToken.None);
        Assert.Equal(["v1.0.0"], state.Versions);
        Assert.Null(state.StageVersion("production"));
        Assert.True(state.Deprecated);
        Assert.Contains("support-intents@v1.1.0!#2", _sandbox.RemoteTags());
    }

    [Fact]
    public async Task Promoting_a_version_that_is_not_registered_is_refused()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync("1.0.0", new CandidateFolder());

        var error = await Assert.ThrowsAsync<InputException>(() => registry.PromoteAsync("support-intents", "1.5.0", "production", CancellationToken.None));

        Assert.Equal("support-intents@v1.5.0 is not a registered version (registered: v1.0.0)", error.Message);
    }

    [Fact]
    public async Task Pull_by_stage_writes_the_verified_files()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync("1.0.0", new CandidateFolder());
        await registry.PromoteAsync("support-intents", "1.0.0", "staging", CancellationToken.None);
        var output = _sandbox.Combine("pulled");

        var pulled = await registry.PullAsync("support-intents", null, "staging", output, CancellationToken.None);

        Assert.Equal("v1.0.0", pulled.Manifest.Version);
        Assert.Equal(
            ["adapter_config.json", "adapter_model.safetensors", "eval.json", "manifest.json", "report.md"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            await File.ReadAllBytesAsync(_sandbox.Combine("artifacts", "1.0.0", "support-intents", "adapter", "adapter_model.safetensors")),
            await File.ReadAllBytesAsync(Path.Combine(output, "adapter_model.safetensors")));
    }

    [Fact]
    public async Task A_candidate_folder_missing_a_file_is_refused_naming_it()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder().WriteTo(_sandbox.Combine("artifacts", "support-intents"));
        File.Delete(Path.Combine(candidate, "gate", "report.md"));

        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.StartsWith($"{Path.Combine(candidate, "gate", "report.md")}: missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_that_is_not_semver_is_refused()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder().WriteTo(_sandbox.Combine("artifacts", "support-intents"));

        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.Equal("version '1.0' is not a semantic version (expected e.g. 1.2.0 or v1.2.0)", error.Message);
    }

    [Fact]
    public async Task Without_a_remote_the_tag_stays_local_a_rerun_completes_and_another_folder_is_refused()
    {
        GitSandbox.Run(_sandbox.Work, "remote", "remove", "origin");
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder().WriteTo(_sandbox.Combine("artifacts", "support-intents"));
        var other = new CandidateFolder(Report: "other\n").WriteTo(_sandbox.Combine("other", "support-intents"));

        var result = await registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None);
        var again = await registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0.0", other, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.Null(result.PushedTo);
        Assert.Equal(result.Manifest.ToJsonBytes(), again.Manifest.ToJsonBytes());
        Assert.Equal("support-intents@v1.0.0", GitSandbox.Run(_sandbox.Work, "tag", "--list").Trim());
        Assert.Empty(_sandbox.RemoteTags());
        Assert.Equal("support-intents@v1.0.0 already exists: a version is written once; choose another version", error.Message);
    }

    [Fact]
    public async Task An_evaluation_of_another_adapter_is_refused()
    {
        var registry = await RegistryAsync();
        var candidate = new CandidateFolder(Adapter: "billing-intents").WriteTo(_sandbox.Combine("artifacts", "billing-intents"));

        var error = await Assert.ThrowsAsync<InputException>(() => registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.Equal($"{Path.Combine(candidate, "eval", "eval.json")}: adapter is 'billing-intents', expected 'support-intents'", error.Message);
    }

    public void Dispose() => _sandbox.Dispose();
}
