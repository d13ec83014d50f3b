using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace PeftOps.Cli.Tests;

/// <summary>
/// The built <c>peftops</c> as its own process, its output read as it comes, stopped with a real signal
/// (<c>kill -INT</c>, <c>kill -TERM</c>) as a terminal's Ctrl+C, a container runtime or GitHub Actions' cancel sends it.
/// </summary>
internal sealed class SignalledProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly Stopwatch sinceSignal = new();

    private SignalledProcess(Process process) => this.process = process;

    /// <summary>
    /// A test run started in the background of a non-interactive shell (<c>dotnet test ... &amp;</c>) has SIGINT and SIGQUIT
    /// ignored, children inherit that, and the .NET runtime keeps an ignored SIGINT ignored, as <c>nohup</c> expects; a
    /// peftops started from such a run would never see the Ctrl+C these tests send. So the test host gives them back
    /// their default disposition first: what is tested is peftops, not how the suite was launched.
    /// </summary>
    static SignalledProcess()
    {
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ignored is null ? 0UL : ulong.Parse(ignored["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        foreach (var signal in new[] { SigInt, SigQuit })
        {
            if ((mask & (1UL << (signal - 1))) != 0)
                _ = SetDisposition(signal, DefaultDisposition);
        }
    }

    private const int SigInt = 2;
    private const int SigQuit = 3;
    private const nint DefaultDisposition = 0; // SIG_DFL

    [DllImport("libc.so.6", EntryPoint = "signal")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint SetDisposition(int signal, nint disposition);

    public static SignalledProcess Start(string? workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string>(), args);

    public static SignalledProcess Start(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        foreach (var arg in (string[])[Path.Combine(PeftOpsRunner.CliDirectory, "peftops.dll"), .. args])
            start.ArgumentList.Add(arg);
        var started = new SignalledProcess(Process.Start(start)!);
        started.process.OutputDataReceived += (_, e) => Append(started.stdout, e.Data);
        started.process.ErrorDataReceived += (_, e) => Append(started.stderr, e.Data);
        started.process.BeginOutputReadLine();
        started.process.BeginErrorReadLine();
        return started;
    }

    public string Stdout => Read(stdout);

    public string Stderr => Read(stderr);

    /// <summary>CPU time the process has used so far: once it is well past what start-up and loading take, it is in its loop.</summary>
    public TimeSpan CpuTime => process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;

    /// <summary>Waits until <paramref name="ready"/> holds; fails when the process ends first or 5 minutes pass.</summary>
    public async Task UntilAsync(Func<SignalledProcess, bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready(this))
        {
            Assert.False(process.HasExited, $"peftops ended (exit {(process.HasExited ? process.ExitCode : 0)}) before {what}: {Stdout}{Stderr}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"not {what} after 5 minutes: {Stdout}{Stderr}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Sends each SIGNAME (<c>INT</c>, <c>TERM</c>) in turn with kill(1), back to back from one shell, so that a second
    /// signal reaches the process while it is still stopping from the first (a tiny model stops within milliseconds,
    /// before a second kill started from here would arrive); the clock of <see cref="ExitAsync"/> starts at the first.
    /// </summary>
    public async Task SignalAsync(params string[] names)
    {
        if (!sinceSignal.IsRunning)
            sinceSignal.Start();
        var pid = process.Id.ToString(CultureInfo.InvariantCulture);
        using var kill = Process.Start("sh", ["-c", string.Join(" && ", names.Select(n => $"kill -{n} {pid}"))]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// Waits for the process to end (a minute at most, so a hang fails the test, not the run): its exit code and how
    /// long after the first signal it ended.
    /// </summary>
    public async Task<(int ExitCode, TimeSpan AfterSignal)> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"peftops still running {sinceSignal.Elapsed.TotalSeconds:F0} s after the signal: {Stdout}{Stderr}");
        }
        var after = sinceSignal.Elapsed;
        process.WaitForExit(); // the output read to its end
        return (process.ExitCode, after);
    }

    /// <summary>
    /// What the contract promises for a signal: exit 130 within 10 s of it, and on stderr exactly one line, the
    /// cancellation line naming the first signal, written by the command as it stopped (not the backstop's "did not
    /// stop"), and no exception or stack trace anywhere.
    /// </summary>
    /// <param name="firstSignals">The signal the line may name: the one sent, or either of two sent back to back (the
    /// runtime hands each to its own thread, so the second may be seen first).</param>
    public async Task<string> AssertCancelledAsync(params string[] firstSignals)
    {
        var (exitCode, after) = await ExitAsync();
        var output = Stdout + Stderr;
        Assert.True(exitCode == 130, $"exit {exitCode}: {output}");
        Assert.True(after < TimeSpan.FromSeconds(10), $"stopped {after.TotalSeconds:F1} s after the first signal: {output}");
        var line = Assert.Single(Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(firstSignals, s => line.StartsWith($"peftops: cancelled (SIG{s})", StringComparison.Ordinal));
        Assert.DoesNotContain("did not stop", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        return line;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
            return;
        lock (text)
            text.Append(line).Append('\n');
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
            return text.ToString();
    }
}
