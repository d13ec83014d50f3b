using System.Diagnostics;
using PeftOps.Cli.Commands;

namespace PeftOps.Cli.Tests;

/// <summary>What one run of <c>peftops</c> gave: exit code and the text it wrote.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real <c>peftops</c> command tree, in this process (console captured) or as a child process.</summary>
internal static class PeftOpsRunner
{
    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);

    public static Task<CliResult> InProcess(params string[] args) => InProcess(PeftOpsCli.CreateRoot(), args);

    /// <summary>Runs <paramref name="root"/> as <c>peftops</c> runs its own tree, console captured.</summary>
    public static async Task<CliResult> InProcess(System.CommandLine.RootCommand root, params string[] args)
    {
        await ConsoleGate.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            var code = await PeftOpsCli.RunAsync(root, args);
            return new CliResult(code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            ConsoleGate.Release();
        }
    }

    /// <summary>The built peftops.dll (beside the CLI's own native libraries) for this test run's configuration.</summary>
    public static string CliDirectory
    {
        get
        {
            // tests/PeftOps.Cli.Tests/bin/<Configuration>/<tfm>/ -> src/PeftOps.Cli/bin/<Configuration>/<tfm>/
            var tfm = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = tfm.Parent!.Name;
            return Path.Combine(TestSupport.TestPaths.RepoRoot, "src", "PeftOps.Cli", "bin", configuration, tfm.Name);
        }
    }

    public static Task<CliResult> AsProcess(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        AsProcessIn(null, environment, args);

    /// <summary>Runs the built peftops.dll as its own process, in <paramref name="workingDirectory"/> when given.</summary>
    public static async Task<CliResult> AsProcessIn(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(CliDirectory, "peftops.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project builds the CLI");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // a guard against a hung process, not a speed check: the test projects run side by side on 2 cores, and with the
        // workflow harness building and training beside them a training run can take minutes
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"peftops {string.Join(' ', args)} did not finish in 20 minutes");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
