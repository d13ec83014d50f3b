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
    public async Task Racing_writers_of_one_key_leave_exactly_one_winner_and_its_bytes()
    {
        var store = NewStore();

        // Many rounds, each a fresh key and 16 writers released together: a check-then-rename
        // publish lets two of them "win" within a few rounds on a 2-core machine.
        for (var round = 0; round < 200; round++)
        {
            var key = $"a/v1.0.{round}/adapter_model.safetensors";
            using var start = new ManualResetEventSlim();
            var writers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return (Writer: (byte)i, Created: await store.TryCreateAsync(key, new byte[] { (byte)i }, CancellationToken.None));
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(writers);

            var winner = Assert.Single(results, r => r.Created);
            Assert.Equal(new[] { winner.Writer }, await store.ReadAsync(key, CancellationToken.None));
            Assert.Equal(["adapter_model.safetensors"], Directory.GetFiles(Path.GetDirectoryName(Path.Combine(((FolderArtifactStore)store).Root, key))!).Select(Path.GetFileName));
        }
    }
}
