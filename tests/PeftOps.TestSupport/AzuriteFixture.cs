using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace PeftOps.TestSupport;

/// <summary>
/// Azurite's blob service (npm <c>azurite</c> 3.37.0), installed under <c>.tools/azurite</c> on first use,
/// started on a free loopback port with a fresh data folder, and stopped when the fixture is disposed.
/// Use it as an xunit collection fixture.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public static string Version => NpmPackage.Azurite.Version;

    // Azurite's well-known development account (public, documented by Microsoft; not a secret)
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory _data = new("azurite");
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static string InstallDirectory => NpmPackage.Azurite.InstallDirectory;

    public static string Executable => NpmPackage.Azurite.Probe;

    public async Task InitializeAsync()
    {
        await NpmPackage.Azurite.EnsureInstalledAsync().ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _process = Start(Port);
            if (await WaitForPortAsync(_process, Port, TimeSpan.FromSeconds(60)).ConfigureAwait(false))
                return;
            Stop();
            if (attempt == 3)
                throw new InvalidOperationException($"azurite-blob did not listen on 127.0.0.1:{Port} (3 attempts)");
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        _data.Dispose();
        return Task.CompletedTask;
    }

    private Process Start(int port)
    {
        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "--location", _data.Path, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--skipApiVersionCheck", "--silent",
                 })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} could not be started");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Stop()
    {
        if (_process is null)
            return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<bool> WaitForPortAsync(Process process, int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        return false;
    }
}
