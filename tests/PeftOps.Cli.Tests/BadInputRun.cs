using System.Text;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// A tiny adapter to break and a folder for its run, for tests of bad input: exit code 2, one message naming
/// file, line and key and what was expected, and nothing written where the run would go.
/// </summary>
internal sealed class BadInputRun : IDisposable
{
    private readonly TinyAdapter adapter = new();
    private readonly TempDirectory runs = new();

    public string Directory => adapter.Directory;
    public string Spec => adapter.Combine("adapter.yaml");
    public string Model => Path.Combine(Path.GetDirectoryName(adapter.Directory)!, "model");
    public string TrainData => adapter.Combine("data", "train.jsonl");
    public string Runs => runs.Path;
    public string Run => runs.Combine("run");

    public string Combine(params string[] parts) => adapter.Combine(parts);

    public Task<CliResult> Validate() => PeftOpsRunner.InProcess("spec", "validate", adapter.Directory);

    public Task<CliResult> Train(params string[] extra) => PeftOpsRunner.InProcess(["train", adapter.Directory, "--out", Run, .. extra]);

    // A run that gets as far as training writes progress through Spectre.Console's process-wide console, which
    // keeps the first writer it sees: in-process, only runs that stop before training are captured.
    public Task<CliResult> TrainAsProcess(params string[] extra) =>
        PeftOpsRunner.AsProcess(new Dictionary<string, string>(), ["train", adapter.Directory, "--out", Run, .. extra]);

    public void EditSpec(string from, string to)
    {
        var text = File.ReadAllText(Spec);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(Spec, text.Replace(from, to, StringComparison.Ordinal), new UTF8Encoding(false));
    }

    public static void AssertBadInput(string expectedStderr, CliResult result)
    {
        Assert.Equal(expectedStderr, result.Stderr);
        Assert.Equal(2, result.ExitCode);
    }

    public void AssertNothingWritten() => Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(runs.Path));

    public void Dispose()
    {
        adapter.Dispose();
        runs.Dispose();
    }
}
