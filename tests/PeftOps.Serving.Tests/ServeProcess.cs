using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PeftOps.Cli.Tests;

namespace PeftOps.Serving.Tests;

/// <summary>The built <c>peftops serve</c> as its own process on a free loopback port, stopped with SIGTERM.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static Task<ServeProcess> StartAsync(string workingDirectory, params string[] args) =>
        StartAsync(workingDirectory, new Dictionary<string, string>(), args);

    public static async Task<ServeProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(PeftOpsRunner.CliDirectory, "peftops.dll"), "serve", "--urls", address.ToString().TrimEnd('/'), .. args])
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var server = new ServeProcess(Process.Start(start)!, address);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = address };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(server._process.HasExited, $"peftops serve exited {(server._process.HasExited ? server._process.ExitCode : 0)}: {server.Output}");
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(3), $"peftops serve not ready after 3 minutes: {server.Output}");
            try
            {
                using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                    return server;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
    }

    /// <summary>SIGTERM, as a container runtime stops it; returns the exit code.</summary>
    public async Task<int> StopAsync() => (await StopAsync("TERM")).ExitCode;

    /// <summary>Sends SIGNAME (<c>TERM</c>, <c>INT</c>) with kill(1); returns the exit code and how long after the signal it came.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(string signal)
    {
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        var took = clock.Elapsed;
        _process.WaitForExit(); // the output read to its end
        return (_process.ExitCode, took);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
