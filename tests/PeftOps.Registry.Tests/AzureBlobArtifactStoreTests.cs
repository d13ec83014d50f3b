using Azure.Storage.Blobs;
using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.Registry.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobArtifactStoreTests(AzuriteFixture azurite) : ReleaseScenarios
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..20];
    private int _containers;

    protected override IArtifactStore NewStore() => new AzureBlobArtifactStore(Container());

    protected override Task TamperAsync(IArtifactStore store, string key, byte[] content) =>
        new BlobContainerClient(azurite.ConnectionString, ContainerName(store)).GetBlobClient(key).UploadAsync(BinaryData.FromBytes(content), overwrite: true);

    [Fact]
    public async Task A_wrong_account_key_is_one_line_naming_what_to_check_and_never_the_key()
    {
        var wrongKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 64).ToArray());
        var connection = azurite.ConnectionString.Replace(
            azurite.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal)), $"AccountKey={wrongKey}", StringComparison.Ordinal);
        var store = new AzureBlobArtifactStore(new BlobContainerClient(connection, $"{_prefix}-key"));

        var error = await Assert.ThrowsAsync<PeftOps.Contracts.InfrastructureException>(() => store.ReadAsync("a/v1.0.0/report.md", CancellationToken.None));

        Assert.StartsWith($"azure://devstoreaccount1/{_prefix}-key/a/v1.0.0/report.md: Azure Blob Storage refused the request (403 ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("the credential lacks the rights this command needs, or the account key is wrong", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_blob_is_written_once()
    {
        var store = NewStore();

        Assert.True(await store.TryCreateAsync("a/v1.0.0/report.md", "first"u8.ToArray(), CancellationToken.None));
        Assert.False(await store.TryCreateAsync("a/v1.0.0/report.md", "second"u8.ToArray(), CancellationToken.None));

        Assert.Equal("first"u8.ToArray(), await store.ReadAsync("a/v1.0.0/report.md", CancellationToken.None));
        Assert.Null(await store.ReadAsync("a/v1.0.0/missing.md", CancellationToken.None));
    }

    [Fact]
    public async Task The_registry_setting_with_a_connection_string_reaches_azurite()
    {
        var container = $"{_prefix}-setting";
        var location = RegistryLocation.Resolve($"azure://devstoreaccount1/{container}", Sandbox.Work,
            name => name == RegistryLocation.ConnectionStringVariable ? azurite.ConnectionString : null);

        var store = location.OpenStore();
        Assert.True(await store.TryCreateAsync("a/v1.0.0/eval.json", "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal($"azure://devstoreaccount1/{container}", store.Location);
        Assert.True(await new BlobContainerClient(azurite.ConnectionString, container).GetBlobClient("a/v1.0.0/eval.json").ExistsAsync());
    }

    private BlobContainerClient Container() => new(azurite.ConnectionString, $"{_prefix}-{++_containers}");

    private static string ContainerName(IArtifactStore store) => store.Location.Split('/')[^1];
}
