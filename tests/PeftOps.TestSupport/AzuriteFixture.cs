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
    public const string Version = "3.37.0";

    // Azurite's well-known development account (public, documented by Microsoft; not a secret)
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory _data = new("azurite");
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static string InstallDirectory => Path.Combine(TestPaths.RepoRoot, ".tools", "azurite");

    public static string Executable => Path.Combine(InstallDirectory, "node_modules", ".bin", "azurite-blob");

    public async Task InitializeAsync()
    {
        await EnsureInstalledAsync().ConfigureAwait(false);
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

    /// <summary>Runs <c>npm install</c> once; a lock file keeps parallel test runs from installing at the same time.</summary>
    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(Executable))
            return;
        Directory.CreateDirectory(InstallDirectory);
        using var installLock = await AcquireLockAsync(Path.Combine(InstallDirectory, "..", "azurite.install.lock")).ConfigureAwait(false);
        if (File.Exists(Executable))
            return;
        var start = new ProcessStartInfo("npm")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "install", "--prefix", InstallDirectory, "--no-audit", "--no-fund", $"azurite@{Version}" })
            start.ArgumentList.Add(argument);
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm could not be started (Node.js is needed to run Azurite)");
        var output = npm.StandardOutput.ReadToEndAsync();
        var error = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await npm.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (npm.ExitCode != 0 || !File.Exists(Executable))
            throw new InvalidOperationException($"npm install azurite@{Version} failed ({npm.ExitCode}): {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        for (var waited = 0; ; waited++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited < 6000)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }
}
