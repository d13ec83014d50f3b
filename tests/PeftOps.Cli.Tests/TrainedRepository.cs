using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// The tiny adapter trained, evaluated and gated once in a committed repository (<c>artifacts/tiny</c>, ignored);
/// each test takes a copy of it with a bare origin and a folder store of its own (<see cref="FaultSandbox"/>).
/// </summary>
public class TrainedRepository : IAsyncLifetime
{
    private readonly TinyAdapter _adapter;
    private readonly TempDirectory _temp = new("peftops-trained");

    public TrainedRepository() : this("")
    {
    }

    /// <param name="extraYaml">Added to the tiny adapter's adapter.yaml before it is committed and trained.</param>
    protected TrainedRepository(string extraYaml) => _adapter = new TinyAdapter(extraYaml);

    public string Repository => _temp.Combine("repo");

    public async Task InitializeAsync()
    {
        FaultSandbox.CopyDirectory(_adapter.Directory, Path.Combine(Repository, "adapters", "tiny"));
        File.WriteAllText(Path.Combine(Repository, ".gitignore"), "artifacts/\n");
        File.WriteAllText(Path.Combine(Repository, ".gto"), "stages: [staging, production]\n");
        GitCli.Run(_temp.Path, "init", "--quiet", "-b", "main", Repository);
        GitCli.Run(Repository, "config", "user.name", "Release Manager");
        GitCli.Run(Repository, "config", "user.email", "rm@example.com");
        GitCli.Run(Repository, "add", "-A");
        GitCli.Run(Repository, "commit", "--quiet", "-m", "tiny adapter");
        foreach (var args in new[]
        {
            new[] { "train", "adapters/tiny", "--out", "artifacts/tiny", "--set", "training.epochs=1" },
            ["evaluate", "adapters/tiny", "--adapter", "artifacts/tiny/adapter", "--out", "artifacts/tiny/eval"],
            ["gate", "adapters/tiny", "--candidate", "artifacts/tiny/eval/eval.json", "--out", "artifacts/tiny/gate"],
        })
        {
            var result = await PeftOpsRunner.AsProcessIn(Repository, new Dictionary<string, string>(), args);
            Assert.True(result.ExitCode is 0 or 1 or 3, $"peftops {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        }
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        _adapter.Dispose();
        return Task.CompletedTask;
    }
}
