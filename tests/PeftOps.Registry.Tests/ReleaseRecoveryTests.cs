using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry.Tests;

/// <summary>
/// A release that stopped, or whose store lost files, is finished by running it again with the same folder; a remote
/// that refuses for its own reason is reported in its own words and leaves this clone as the remote is.
/// </summary>
public sealed class ReleaseRecoveryTests : IDisposable
{
    private const string Tag = "support-intents@v1.0.0";
    private readonly GitSandbox _sandbox = new();
    private readonly FolderArtifactStore _store;

    public ReleaseRecoveryTests() => _store = new FolderArtifactStore(_sandbox.Combine("store"));

    private async Task<AdapterRegistry> RegistryAsync(string? directory = null) => new(await _sandbox.OpenAsync(directory), _store);

    private string Candidate(CandidateFolder? folder = null, string name = "artifacts") =>
        (folder ?? new CandidateFolder()).WriteTo(_sandbox.Combine(name, "support-intents"));

    private Task<ReleaseResult> ReleaseAsync(AdapterRegistry registry, string candidate) =>
        registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None);

    private string StorePath(string file) => Path.Combine(_store.Root, "support-intents", "v1.0.0", file);

    [Fact]
    public async Task A_completed_release_run_again_with_the_same_folder_succeeds_and_changes_nothing()
    {
        var registry = await RegistryAsync();
        var candidate = Candidate();
        var first = await ReleaseAsync(registry, candidate);
        var tagObject = GitSandbox.Run(_sandbox.Remote, "rev-parse", Tag).Trim();

        var again = await ReleaseAsync(registry, candidate);
        var other = await Assert.ThrowsAsync<InputException>(() => ReleaseAsync(registry, Candidate(new CandidateFolder(Report: "other\n"), "other")));

        Assert.Equal(first.Manifest.ToJsonBytes(), again.Manifest.ToJsonBytes());
        Assert.Equal(tagObject, GitSandbox.Run(_sandbox.Remote, "rev-parse", Tag).Trim());
        Assert.Equal($"{Tag} already exists on origin: a version is written once; choose another version", other.Message);
    }

    [Fact]
    public async Task A_clone_without_the_tag_completes_a_release_pushed_from_elsewhere()
    {
        var candidate = Candidate();
        await ReleaseAsync(await RegistryAsync(), candidate);
        var clone = _sandbox.Clone();
        GitSandbox.Run(clone, "tag", "-d", Tag);

        var result = await ReleaseAsync(await RegistryAsync(clone), candidate);

        Assert.Equal("origin", result.PushedTo);
        Assert.Equal(GitSandbox.Run(_sandbox.Remote, "rev-parse", Tag).Trim(), GitSandbox.Run(clone, "rev-parse", Tag).Trim());
    }

    [Fact]
    public async Task Files_lost_from_the_store_are_uploaded_again_from_the_same_bytes_and_verified()
    {
        var registry = await RegistryAsync();
        var candidate = Candidate();
        await ReleaseAsync(registry, candidate);
        var manifest = File.ReadAllBytes(StorePath("manifest.json"));
        File.Delete(StorePath("adapter_model.safetensors"));
        File.Delete(StorePath("manifest.json"));
        var broken = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => registry.VerifyAsync("support-intents", "1.0.0", CancellationToken.None));

        await ReleaseAsync(registry, candidate);
        var verified = await registry.VerifyAsync("support-intents", "1.0.0", CancellationToken.None);

        Assert.Equal("manifest.json: missing from " + _store.Location + "/support-intents/v1.0.0/", broken.Message);
        Assert.Equal(manifest, File.ReadAllBytes(StorePath("manifest.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(candidate, "adapter", "adapter_model.safetensors")), verified.Files["adapter_model.safetensors"]);
    }

    [Fact]
    public async Task Lost_files_are_not_replaced_by_another_folders_bytes()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync(registry, Candidate());
        File.Delete(StorePath("adapter_model.safetensors"));
        File.Delete(StorePath("manifest.json"));

        var error = await Assert.ThrowsAsync<InputException>(() => ReleaseAsync(registry, Candidate(new CandidateFolder(Weights: 9), "other")));

        Assert.Equal($"{Tag} already exists on origin: a version is written once; choose another version", error.Message);
        Assert.False(File.Exists(StorePath("adapter_model.safetensors")));
        Assert.False(File.Exists(StorePath("manifest.json")));
    }

    [Fact]
    public async Task The_next_version_of_a_version_whose_eval_json_was_lost_is_proposed_from_its_lineage_with_a_warning()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync(registry, Candidate());
        File.Delete(StorePath("eval.json"));

        var proposal = await registry.ProposeNextVersionAsync("support-intents", Candidate(new CandidateFolder(TrainSha: "d2"), "next"), CancellationToken.None);

        Assert.Equal("v1.1.0", proposal.Version);
        Assert.Equal(["data changed: train/train"], proposal.Reasons);
        Assert.Equal($"{_store.Location}/support-intents/v1.0.0/eval.json is missing, so v1.0.0 was compared by the lineage in its tag {Tag}; "
            + "put it back with 'peftops registry release support-intents --version v1.0.0 --from RUN_DIR' from the folder it was released from", proposal.Warning);
    }

    [Fact]
    public async Task A_release_tag_left_unpushed_beside_the_request_on_origin_replaces_the_request()
    {
        GitSandbox.Run(_sandbox.Work, "tag", Tag);
        GitSandbox.Run(_sandbox.Work, "push", "--quiet", "origin", Tag);
        var candidate = Candidate();
        var registry = await RegistryAsync();
        await ReleaseAsync(registry, candidate);
        // as if killed after tagging: origin still holds the plain request tag
        GitSandbox.Run(_sandbox.Remote, "tag", "-f", Tag, _sandbox.Head);
        Assert.Equal("commit", GitSandbox.Run(_sandbox.Remote, "cat-file", "-t", Tag).Trim());

        await ReleaseAsync(registry, candidate);

        Assert.Equal("tag", GitSandbox.Run(_sandbox.Remote, "cat-file", "-t", Tag).Trim());
        Assert.Equal(GitSandbox.Run(_sandbox.Work, "rev-parse", Tag).Trim(), GitSandbox.Run(_sandbox.Remote, "rev-parse", Tag).Trim());
    }

    [Fact]
    public async Task A_push_the_remotes_hook_rejects_is_reported_in_its_words_and_leaves_no_tag()
    {
        var hook = _sandbox.RejectPushes("release tags need the release team");
        GitSandbox.Run(_sandbox.Work, "tag", Tag);
        var registry = await RegistryAsync();
        var candidate = Candidate();

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => ReleaseAsync(registry, candidate));

        Assert.Equal($"origin rejected {Tag} (pre-receive hook declined: release tags need the release team); nothing was pushed and the local tag was withdrawn: "
            + "fix what origin says, then run the command again", error.Message);
        Assert.Empty(_sandbox.RemoteTags());
        Assert.Equal("commit", GitSandbox.Run(_sandbox.Work, "cat-file", "-t", Tag).Trim()); // the request is back as it was
        Assert.True(File.Exists(StorePath("manifest.json")));                                  // write-once files stay for the rerun

        File.Delete(hook);
        await ReleaseAsync(registry, candidate);
        Assert.Equal([Tag], _sandbox.RemoteTags());
        Assert.Equal("tag", GitSandbox.Run(_sandbox.Remote, "cat-file", "-t", Tag).Trim());
    }

    [Fact]
    public async Task A_promotion_the_remotes_hook_rejects_leaves_the_stage_as_the_remote_has_it()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync(registry, Candidate());
        _sandbox.RejectPushes("production is frozen");

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => registry.PromoteAsync("support-intents", "1.0.0", "production", CancellationToken.None));

        Assert.Equal("origin rejected support-intents#production#1 (pre-receive hook declined: production is frozen); nothing was pushed and the local tag was withdrawn: "
            + "fix what origin says, then run the command again", error.Message);
        Assert.Null((await registry.StateAsync("support-intents", CancellationToken.None)).StageVersion("production"));
        Assert.Equal([Tag], GitSandbox.Run(_sandbox.Work, "tag", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_promotion_left_unpushed_is_pushed_by_the_same_command_and_withdrawn_by_another()
    {
        var registry = await RegistryAsync();
        await ReleaseAsync(registry, Candidate());
        await registry.PromoteAsync("support-intents", "1.0.0", "staging", CancellationToken.None);
        // as if killed before the push: the tag and the pending record are here, origin lacks the tag
        GitSandbox.Run(_sandbox.Remote, "tag", "-d", "support-intents#staging#1");
        var pending = Path.Combine(_sandbox.Work, ".git", "peftops-pending", "support-intents.json");
        File.WriteAllText(pending, JsonSerializer.Serialize(new { command = "promote", version = "v1.0.0", stage = "staging", tag = "support-intents#staging#1" }));

        var finished = await registry.PromoteAsync("support-intents", "1.0.0", "staging", CancellationToken.None);

        Assert.Equal("support-intents#staging#1", finished.Tag);
        Assert.Contains("support-intents#staging#1", _sandbox.RemoteTags());
        Assert.False(File.Exists(pending));

        GitSandbox.Run(_sandbox.Remote, "tag", "-d", "support-intents#staging#1");
        File.WriteAllText(pending, JsonSerializer.Serialize(new { command = "promote", version = "v1.0.0", stage = "staging", tag = "support-intents#staging#1" }));
        var other = await registry.PromoteAsync("support-intents", "1.0.0", "production", CancellationToken.None);

        Assert.Equal("support-intents#production#1", other.Tag);
        Assert.Equal(["support-intents#production#1", Tag], GitSandbox.Run(_sandbox.Work, "tag", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal(["support-intents#production#1", Tag], _sandbox.RemoteTags());
    }

    public void Dispose() => _sandbox.Dispose();
}
