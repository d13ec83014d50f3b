using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// A tiny adapter trained, evaluated and gated once in a committed repository (<c>artifacts/NAME</c>, ignored): the
/// colour classifier <c>tiny</c> by default, or another adapter folder a subclass gives; each test takes a copy of it
/// with a bare origin and a folder store of its own (<see cref="FaultSandbox"/>).
/// </summary>
public class TrainedRepository : IAsyncLifetime
{
    private readonly string _adapterDirectory;
    private readonly IDisposable _adapter;
    private readonly TempDirectory _temp = new("peftops-trained");

    public TrainedRepository() : this("")
    {
    }

    /// <param name="extraYaml">Added to the tiny adapter's adapter.yaml before it is committed and trained.</param>
    protected TrainedRepository(string extraYaml) : this(new TinyAdapter(extraYaml))
    {
    }

    private TrainedRepository(TinyAdapter adapter) : this("tiny", adapter.Directory, adapter)
    {
    }

    /// <param name="name">The adapter's name, which its folder under <c>adapters/</c> takes.</param>
    /// <param name="adapterDirectory">The adapter folder to commit (adapter.yaml and its data).</param>
    /// <param name="adapter">What owns that folder; disposed with the repository.</param>
    protected TrainedRepository(string name, string adapterDirectory, IDisposable adapter)
    {
        Name = name;
        _adapterDirectory = adapterDirectory;
        _adapter = adapter;
    }

    /// <summary>The adapter's name: its folder is <c>adapters/NAME</c>, its run <c>artifacts/NAME</c>.</summary>
    public string Name { get; }

    public string Repository => _temp.Combine("repo");

    public async Task InitializeAsync()
    {
        FaultSandbox.CopyDirectory(_adapterDirectory, Path.Combine(Repository, "adapters", Name));
        File.WriteAllText(Path.Combine(Repository, ".gitignore"), "artifacts/\n");
        File.WriteAllText(Path.Combine(Repository, ".gto"), "stages: [staging, production]\n");
        GitCli.Run(_temp.Path, "init", "--quiet", "-b", "main", Repository);
        GitCli.Run(Repository, "config", "user.name", "Release Manager");
        GitCli.Run(Repository, "config", "user.email", "rm@example.com");
        GitCli.Run(Repository, "add", "-A");
        GitCli.Run(Repository, "commit", "--quiet", "-m", $"{Name} adapter");
        foreach (var args in new[]
        {
            new[] { "train", $"adapters/{Name}", "--out", $"artifacts/{Name}", "--set", "training.epochs=1" },
            ["evaluate", $"adapters/{Name}", "--adapter", $"artifacts/{Name}/adapter", "--out", $"artifacts/{Name}/eval"],
            ["gate", $"adapters/{Name}", "--candidate", $"artifacts/{Name}/eval/eval.json", "--out", $"artifacts/{Name}/gate"],
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
