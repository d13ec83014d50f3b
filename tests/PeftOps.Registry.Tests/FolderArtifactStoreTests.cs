namespace PeftOps.Registry.Tests;

public sealed class FolderArtifactStoreTests : ReleaseScenarios
{
    private int _stores;

    protected override IArtifactStore NewStore() => new FolderArtifactStore(Sandbox.Combine($"store{++_stores}"));

    protected override Task TamperAsync(IArtifactStore store, string key, byte[] content) =>
        File.WriteAllBytesAsync(Path.Combine(((FolderArtifactStore)store).Root, key), content);

    [Fact]
    public async Task A_key_is_written_once()
    {
        var store = NewStore();

        Assert.True(await store.TryCreateAsync("a/v1.0.0/report.md", "first"u8.ToArray(), CancellationToken.None));
        Assert.False(await store.TryCreateAsync("a/v1.0.0/report.md", "second"u8.ToArray(), CancellationToken.None));

        Assert.Equal("first"u8.ToArray(), await store.ReadAsync("a/v1.0.0/report.md", CancellationToken.None));
        Assert.Equal(["report.md"], Directory.GetFiles(Path.Combine(((FolderArtifactStore)store).Root, "a", "v1.0.0")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Racing_writers_of_one_key_leave_exactly_one_winner()
    {
        var store = NewStore();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.TryCreateAsync("a/v1.0.0/adapter_model.safetensors", new byte[] { (byte)i }, CancellationToken.None))));

        Assert.Single(results, created => created);
    }
}
