using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using PeftOps.Cli.Tests;
using PeftOps.Registry;
using PeftOps.TestSupport;

namespace PeftOps.Serving.Tests;

/// <summary>
/// A <see cref="FaultSandbox"/> (the trained tiny adapter, a bare origin, a folder store) with versions released and the
/// first promoted to production by the real <c>peftops</c>, and a second clone of origin that the server follows, as a
/// server on another machine would.
/// </summary>
internal sealed class ServingSandbox : IDisposable
{
    public const string Stage = "production";

    private ServingSandbox(TrainedRepository trained, AzuriteFixture? azurite)
    {
        Adapter = trained.Name;
        Sandbox = new FaultSandbox(trained);
        if (azurite is not null)
        {
            StoreUri = $"azure://devstoreaccount1/serve-{Guid.NewGuid():N}"[..40];
            Environment = new Dictionary<string, string> { [RegistryLocation.ConnectionStringVariable] = azurite.ConnectionString };
        }
        else
        {
            StoreUri = new Uri(Sandbox.Store).AbsoluteUri;
            Environment = new Dictionary<string, string>();
        }
    }

    public FaultSandbox Sandbox { get; }

    /// <summary>The released adapter's name (<c>tiny</c>, the colour classifier, unless the trained repository says otherwise).</summary>
    public string Adapter { get; }

    /// <summary>The store: the sandbox's folder, or a fresh container in Azurite.</summary>
    public string StoreUri { get; }

    /// <summary>What a peftops process needs to reach the store (Azurite's connection string).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The server's own clone of origin.</summary>
    public string Served => Sandbox.Combine("served");

    public string Cache => Sandbox.Combine("serve-cache");

    /// <summary>Releases <paramref name="versions"/> (same adapter files, different versions) and promotes the first.</summary>
    public static Task<ServingSandbox> ReleasedAsync(TrainedRepository trained, params string[] versions) => ReleasedAsync(trained, null, versions);

    /// <inheritdoc cref="ReleasedAsync(TrainedRepository, string[])"/>
    public static Task<ServingSandbox> ReleasedAsync(TrainedRepository trained, AzuriteFixture? azurite, params string[] versions) =>
        ReleasedAsync(trained, azurite, _ => Task.CompletedTask, versions);

    /// <inheritdoc cref="ReleasedAsync(TrainedRepository, string[])"/>
    /// <param name="prepare">Runs in the release manager's clone before the first release (another run folder, say).</param>
    public static async Task<ServingSandbox> ReleasedAsync(TrainedRepository trained, AzuriteFixture? azurite, Func<ServingSandbox, Task> prepare, params string[] versions)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        var sandbox = new ServingSandbox(trained, azurite);
        await prepare(sandbox);
        foreach (var version in versions)
            await sandbox.PeftopsAsync("registry", "release", sandbox.Adapter, "--version", version, "--from", $"artifacts/{sandbox.Adapter}", "--retrained", "--force", "--reason", "serve drill", "--approved-by", "tester");
        await sandbox.PeftopsAsync("registry", "promote", sandbox.Adapter, "--version", versions[0], "--stage", Stage);
        GitCli.Run(sandbox.Sandbox.Combine(), "clone", "--quiet", sandbox.Sandbox.Remote, sandbox.Served);
        return sandbox;
    }

    /// <summary>Runs peftops in the release manager's clone against the store; it must succeed.</summary>
    public async Task<CliResult> PeftopsAsync(params string[] args)
    {
        var result = Environment.Count == 0
            ? await Sandbox.Peftops(null, args)
            : await PeftOpsRunner.AsProcessIn(Sandbox.Repository, Environment, [.. args, "--registry", StoreUri]);
        Assert.True(result.ExitCode == 0, $"peftops {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }

    public ServeOptions Options(TimeSpan? poll = null) => new()
    {
        Stage = Stage,
        Adapters = [Adapter],
        CacheDirectory = Cache,
        Poll = poll ?? TimeSpan.Zero,
        RefreshToken = RefreshToken,
    };

    public const string RefreshToken = "test-refresh-token-0123456789";

    /// <summary>The server in this process on a TestServer, started (its first load done).</summary>
    public async Task<WebApplication> StartInProcessAsync(ServeOptions? options = null)
    {
        var registry = await AdapterRegistry.OpenAsync(Served, StoreUri, writes: false, CancellationToken.None);
        var app = ServeApp.Build(options ?? Options(), registry, ["http://127.0.0.1:0"], b => b.WebHost.UseTestServer());
        await ServeApp.StartAsync(app, CancellationToken.None);
        return app;
    }

    /// <summary>sha256 of a version's adapter_model.safetensors, as its manifest in the folder store records it.</summary>
    public string WeightsSha256(string version)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Sandbox.Store, Adapter, version, "manifest.json")));
        return manifest.RootElement.GetProperty("files").GetProperty("adapter_model.safetensors").GetProperty("sha256").GetString()!;
    }

    public void Dispose() => Sandbox.Dispose();
}
