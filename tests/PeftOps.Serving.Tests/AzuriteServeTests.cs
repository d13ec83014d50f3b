using System.Diagnostics;
using PeftOps.Cli.Tests;
using PeftOps.Registry;
using PeftOps.TestSupport;

namespace PeftOps.Serving.Tests;

/// <summary>The real <c>peftops serve</c> with Azure Blob Storage (Azurite) as the store.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteServeTests(AzuriteFixture azurite, TrainedRepository trained) : IClassFixture<TrainedRepository>
{
    [Fact]
    public async Task It_follows_a_promotion_from_blob_storage_and_restarts_from_its_cache_when_the_store_is_unreachable()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, azurite, "1.0.0", "1.1.0");
        string[] serve = ["--stage", ServingSandbox.Stage, "--adapter", "tiny", "--poll", "1", "--cache", sandbox.Cache, "--registry", sandbox.StoreUri];
        await using (var server = await ServeProcess.StartAsync(sandbox.Served, sandbox.Environment, serve))
        {
            using var client = new HttpClient { BaseAddress = server.Address };
            Assert.Equal("v1.0.0", await VersionAsync(client));
            await sandbox.PeftopsAsync("registry", "promote", "tiny", "--version", "1.1.0", "--stage", ServingSandbox.Stage);
            var waited = Stopwatch.StartNew();
            while (await VersionAsync(client) != "v1.1.0")
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"still not serving v1.1.0 30 s after the promotion: {server.Output}");
                await Task.Delay(100);
            }
            Assert.Equal(130, await server.StopAsync());
        }

        // the store is unreachable now (nothing listens on port 9): the verified cache serves the stage's holder
        var unreachable = new Dictionary<string, string>
        {
            [RegistryLocation.ConnectionStringVariable] = azurite.ConnectionString.Replace($"127.0.0.1:{azurite.Port}", "127.0.0.1:9", StringComparison.Ordinal),
        };
        await using var restarted = await ServeProcess.StartAsync(sandbox.Served, unreachable, serve);
        using var again = new HttpClient { BaseAddress = restarted.Address };
        Assert.Equal("v1.1.0", await VersionAsync(again));
    }

    private static async Task<string?> VersionAsync(HttpClient client)
    {
        using var response = await ServeClient.PredictAsync(client, "blue sky");
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        return (await ServeClient.JsonAsync(response)).GetProperty("version").GetString();
    }
}
