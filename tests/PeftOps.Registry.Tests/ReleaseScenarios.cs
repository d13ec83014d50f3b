using PeftOps.Contracts;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PeftOps.Registry.Tests;

/// <summary>The release story against a real store; each store's test class runs every scenario.</summary>
public abstract class ReleaseScenarios : IDisposable
{
    protected GitSandbox Sandbox { get; } = new();

    /// <summary>A fresh, empty store of the kind under test.</summary>
    protected abstract IArtifactStore NewStore();

    /// <summary>Replaces a stored file behind the registry's back (bit rot, a hand edit, an attacker).</summary>
    protected abstract Task TamperAsync(IArtifactStore store, string key, byte[] content);

    protected async Task<AdapterRegistry> RegistryAsync(IArtifactStore store, string? directory = null) =>
        new(await Sandbox.OpenAsync(directory), store);

    protected string Candidate(CandidateFolder folder, string name = "artifacts") => folder.WriteTo(Sandbox.Combine(name, folder.Adapter));

    [Fact]
    public async Task Release_uploads_verifies_then_tags_and_pushes_the_lineage()
    {
        var store = NewStore();
        var registry = await RegistryAsync(store);

        var result = await registry.ReleaseAsync("support-intents", "1.0.0", Candidate(new CandidateFolder()), new CandidateFolder().Policy(), retrained: true, CancellationToken.None);

        Assert.Equal("support-intents@v1.0.0", result.Tag);
        Assert.Equal(["support-intents@v1.0.0"], Sandbox.RemoteTags());
        var manifestBytes = await store.ReadAsync("support-intents/v1.0.0/manifest.json", CancellationToken.None);
        Assert.NotNull(manifestBytes);
        var manifest = ManifestJson.Parse(manifestBytes, "manifest.json");
        foreach (var name in Manifest.ContentFiles)
        {
            var bytes = await store.ReadAsync($"support-intents/v1.0.0/{name}", CancellationToken.None);
            Assert.NotNull(bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), manifest.Files[name].Sha256);
        }
        Assert.Equal(Sandbox.Head, manifest.Commit);
        Assert.Equal(new GateRecord("pass", false), manifest.Gate);
        Assert.Equal("builtin:all-MiniLM-L6-v2", manifest.BaseModel.Ref);
        Assert.Equal(["d1", "t1"], manifest.Data.Select(d => d.Sha256));
        Assert.Equal("2.10.0", manifest.Tools.Libtorch);

        using var lineage = JsonDocument.Parse(Sandbox.TagMessage(Sandbox.Remote, "support-intents@v1.0.0"));
        Assert.Equal("peftops.lineage/v1", lineage.RootElement.GetProperty("schema").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), lineage.RootElement.GetProperty("manifest_sha256").GetString());
        Assert.Equal(Sandbox.Head, GitSandbox.Run(Sandbox.Remote, "rev-parse", "support-intents@v1.0.0^{commit}").Trim());
    }

    [Fact]
    public async Task Releasing_a_version_that_exists_fails_and_leaves_it_unchanged()
    {
        var store = NewStore();
        var registry = await RegistryAsync(store);
        await registry.ReleaseAsync("support-intents", "1.0.0", Candidate(new CandidateFolder()), new CandidateFolder().Policy(), retrained: true, CancellationToken.None);
        var before = await store.ReadAsync("support-intents/v1.0.0/report.md", CancellationToken.None);

        var error = await Assert.ThrowsAsync<InputException>(() =>
            registry.ReleaseAsync("support-intents", "v1.0.0", Candidate(new CandidateFolder(Report: "other"), "again"), new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.Equal("support-intents@v1.0.0 already exists on origin: a version is written once; choose another version", error.Message);
        Assert.Equal(before, await store.ReadAsync("support-intents/v1.0.0/report.md", CancellationToken.None));
    }

    [Fact]
    public async Task A_changed_file_is_named_when_pulled_and_nothing_is_written()
    {
        var store = NewStore();
        var registry = await RegistryAsync(store);
        await registry.ReleaseAsync("support-intents", "1.0.0", Candidate(new CandidateFolder()), new CandidateFolder().Policy(), retrained: true, CancellationToken.None);
        var good = await store.ReadAsync("support-intents/v1.0.0/adapter_model.safetensors", CancellationToken.None);
        var bad = good!.ToArray();
        bad[100] ^= 0xFF;
        await TamperAsync(store, "support-intents/v1.0.0/adapter_model.safetensors", bad);
        var output = Sandbox.Combine("pulled");

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() =>
            registry.PullAsync("support-intents", "1.0.0", null, output, CancellationToken.None));

        Assert.StartsWith("adapter_model.safetensors: bytes changed in ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"found sha256 {Convert.ToHexStringLower(SHA256.HashData(bad))}", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_tampered_manifest_fails_verification()
    {
        var store = NewStore();
        var registry = await RegistryAsync(store);
        await registry.ReleaseAsync("support-intents", "1.0.0", Candidate(new CandidateFolder(Verdict: "fail")), new CandidateFolder(Verdict: "fail").Policy(CandidateFolder.Forced), retrained: true, CancellationToken.None);
        var manifest = Encoding.UTF8.GetString((await store.ReadAsync("support-intents/v1.0.0/manifest.json", CancellationToken.None))!);
        var laundered = manifest.Replace("\"verdict\": \"fail\"", "\"verdict\": \"pass\"", StringComparison.Ordinal);
        Assert.NotEqual(manifest, laundered);
        await TamperAsync(store, "support-intents/v1.0.0/manifest.json", Encoding.UTF8.GetBytes(laundered));

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => registry.VerifyAsync("support-intents", "1.0.0", CancellationToken.None));

        Assert.StartsWith("manifest.json: bytes changed in ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_that_failed_midway_is_completed_by_running_it_again()
    {
        var store = NewStore();
        var candidate = Candidate(new CandidateFolder());
        var broken = await RegistryAsync(new FailingStore(store, allowedWrites: 2));

        await Assert.ThrowsAsync<IOException>(() => broken.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None));
        Assert.Empty(Sandbox.RemoteTags());
        Assert.Empty((await broken.StateAsync("support-intents", CancellationToken.None)).Versions);
        Assert.Null(await store.ReadAsync("support-intents/v1.0.0/manifest.json", CancellationToken.None));

        var registry = await RegistryAsync(store);
        var result = await registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None);

        Assert.Equal(["support-intents@v1.0.0"], Sandbox.RemoteTags());
        var verified = await registry.VerifyAsync("support-intents", "1.0.0", CancellationToken.None);
        Assert.Equal(result.Manifest.ToJsonBytes(), verified.Manifest.ToJsonBytes());
    }

    [Fact]
    public async Task A_release_whose_tag_was_not_pushed_is_pushed_when_run_again()
    {
        var store = NewStore();
        var candidate = Candidate(new CandidateFolder());
        var registry = await RegistryAsync(store);
        await registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None);
        GitSandbox.Run(Sandbox.Remote, "tag", "-d", "support-intents@v1.0.0"); // as if the push had never happened

        var result = await registry.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None);

        Assert.Equal("origin", result.PushedTo);
        Assert.Equal(["support-intents@v1.0.0"], Sandbox.RemoteTags());
    }

    [Fact]
    public async Task Two_releases_of_one_version_racing_from_two_clones_let_exactly_one_win()
    {
        var store = NewStore();
        var first = await RegistryAsync(store, Sandbox.Clone());
        var second = await RegistryAsync(store, Sandbox.Clone());
        var a = Candidate(new CandidateFolder(Report: "# from A\n", Weights: 1), "a");
        var b = Candidate(new CandidateFolder(Report: "# from B\n", Weights: 2), "b");

        var outcomes = await Task.WhenAll(
            Attempt(() => first.ReleaseAsync("support-intents", "2.0.0", a, new CandidateFolder().Policy(), retrained: true, CancellationToken.None)),
            Attempt(() => second.ReleaseAsync("support-intents", "2.0.0", b, new CandidateFolder().Policy(), retrained: true, CancellationToken.None)));

        var won = Assert.Single(outcomes, o => o.Result is not null);
        var lost = Assert.Single(outcomes, o => o.Error is not null);
        var loss = Assert.IsType<InputException>(lost.Error);
        Assert.Contains("support-intents@v2.0.0", loss.Message, StringComparison.Ordinal);
        Assert.Equal(["support-intents@v2.0.0"], Sandbox.RemoteTags());
        var winner = won == outcomes[0] ? first : second;
        var verified = await winner.VerifyAsync("support-intents", "2.0.0", CancellationToken.None);
        Assert.Equal(won.Result!.Manifest.ToJsonBytes(), verified.Manifest.ToJsonBytes());
    }

    [Fact]
    public async Task Two_releases_of_the_same_folder_racing_in_one_clone_let_exactly_one_win()
    {
        var store = NewStore();
        var candidate = Candidate(new CandidateFolder());
        var registries = new[] { await RegistryAsync(store), await RegistryAsync(store) };

        var outcomes = await Task.WhenAll(registries.Select(r => Attempt(() => r.ReleaseAsync("support-intents", "1.0.0", candidate, new CandidateFolder().Policy(), retrained: true, CancellationToken.None))));

        Assert.Single(outcomes, o => o.Result is not null);
        var lost = Assert.Single(outcomes, o => o.Error is not null);
        Assert.IsType<InputException>(lost.Error);
        Assert.Equal(["support-intents@v1.0.0"], Sandbox.RemoteTags());
    }

    /// <summary>Runs a release on the thread pool and answers its result or its exception.</summary>
    protected static async Task<(ReleaseResult? Result, Exception? Error)> Attempt(Func<Task<ReleaseResult>> release)
    {
        try
        {
            return (await Task.Run(release), null);
        }
        catch (Exception e) when (e is InputException or ArtifactIntegrityException or IOException or InvalidOperationException)
        {
            return (null, e);
        }
    }

    public void Dispose()
    {
        Sandbox.Dispose();
        GC.SuppressFinalize(this);
    }
}
