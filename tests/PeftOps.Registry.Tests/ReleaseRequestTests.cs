using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry.Tests;

/// <summary>
/// A release manager starts a release by pushing a plain tag named like the version (what release.yml
/// listens for); the release replaces it with the annotated tag that carries the lineage.
/// </summary>
public sealed class ReleaseRequestTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();

    [Fact]
    public async Task A_pushed_plain_tag_is_replaced_by_the_annotated_lineage_tag_on_the_same_commit()
    {
        GitSandbox.Run(_sandbox.Work, "tag", "support-intents@v1.0.0");
        GitSandbox.Run(_sandbox.Work, "push", "--quiet", "origin", "support-intents@v1.0.0");
        var registry = new AdapterRegistry(await _sandbox.OpenAsync(), new FolderArtifactStore(_sandbox.Combine("store")));

        var result = await registry.ReleaseAsync("support-intents", "1.0.0", new CandidateFolder().WriteTo(_sandbox.Combine("artifacts")), new CandidateFolder().Policy(), retrained: true, CancellationToken.None);

        Assert.Equal("support-intents@v1.0.0", result.Tag);
        Assert.Equal("tag", GitSandbox.Run(_sandbox.Remote, "cat-file", "-t", "support-intents@v1.0.0").Trim());
        Assert.Equal(_sandbox.Head, GitSandbox.Run(_sandbox.Remote, "rev-parse", "support-intents@v1.0.0^{commit}").Trim());
        using var lineage = JsonDocument.Parse(_sandbox.TagMessage(_sandbox.Remote, "support-intents@v1.0.0"));
        Assert.Equal("1.0.0", lineage.RootElement.GetProperty("version").GetString()?.TrimStart('v'));
    }

    [Fact]
    public async Task A_plain_tag_on_another_commit_than_the_artifacts_is_refused_and_left_alone()
    {
        var tagged = _sandbox.Head;
        GitSandbox.Run(_sandbox.Work, "tag", "support-intents@v1.0.0");
        GitSandbox.Run(_sandbox.Work, "push", "--quiet", "origin", "support-intents@v1.0.0");
        var head = _sandbox.Commit("adapters/support-intents/README.md", "later\n");
        var registry = new AdapterRegistry(await _sandbox.OpenAsync(), new FolderArtifactStore(_sandbox.Combine("store")));

        var error = await Assert.ThrowsAsync<InputException>(() =>
            registry.ReleaseAsync("support-intents", "1.0.0", new CandidateFolder().WriteTo(_sandbox.Combine("artifacts")), new CandidateFolder().Policy(), retrained: true, CancellationToken.None));

        Assert.Contains($"points at {tagged[..12]}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"built from {head[..12]}", error.Message, StringComparison.Ordinal);
        Assert.Equal("commit", GitSandbox.Run(_sandbox.Remote, "cat-file", "-t", "support-intents@v1.0.0").Trim());
    }

    public void Dispose() => _sandbox.Dispose();
}
