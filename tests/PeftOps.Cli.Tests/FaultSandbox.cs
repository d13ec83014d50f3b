using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// A copy of a <see cref="TrainedRepository"/> with a bare origin (<c>remote.git</c>) and a folder store outside the
/// checkout; every <c>peftops</c> run gets a planted storage connection string that must never appear in its output.
/// </summary>
internal sealed class FaultSandbox : IDisposable
{
    public const string PlantedKey = "PlantedKeyThatMustNeverBeShown0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR==";

    private readonly TempDirectory _temp = new("peftops-faults");

    public FaultSandbox(TrainedRepository trained)
    {
        ArgumentNullException.ThrowIfNull(trained);
        CopyDirectory(trained.Repository, Repository);
        GitCli.Run(_temp.Path, "init", "--quiet", "--bare", "-b", "main", Remote);
        GitCli.Run(Repository, "remote", "add", "origin", Remote);
        GitCli.Run(Repository, "push", "--quiet", "origin", "main");
    }

    public string Repository => _temp.Combine("repo");

    public string Remote => _temp.Combine("remote.git");

    public string Store => _temp.Combine("store");

    public string Combine(params string[] parts) => _temp.Combine(parts);

    /// <summary>Added to every run's environment.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Runs peftops in the repository against the sandbox's store, with <c>PEFTOPS_FAULT</c> when <paramref name="fault"/> is given.</summary>
    public Task<CliResult> Peftops(string? fault, params string[] args) => Run(fault, [.. args, "--registry", new Uri(Store).AbsoluteUri]);

    /// <summary>Runs peftops in the repository with the sandbox's environment and exactly <paramref name="args"/>.</summary>
    public async Task<CliResult> Run(string? fault, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "",
            ["PEFTOPS_FAULT"] = fault ?? "",
            ["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING"] = $"DefaultEndpointsProtocol=https;AccountName=planted;AccountKey={PlantedKey};EndpointSuffix=core.windows.net",
        };
        foreach (var (name, value) in Environment)
            environment[name] = value;
        var result = await PeftOpsRunner.AsProcessIn(Repository, environment, args);
        Assert.DoesNotContain(PlantedKey[..24], result.Stdout + result.Stderr, StringComparison.Ordinal);
        return result;
    }

    public string Git(params string[] args) => GitCli.Run(Repository, args);

    public string RemoteGit(params string[] args) => GitCli.Run(Remote, args);

    public IReadOnlyList<string> LocalTags() => Lines(Git("for-each-ref", "--format=%(refname:strip=2) %(objectname) %(objecttype)", "refs/tags"));

    public IReadOnlyList<string> RemoteTags() => Lines(RemoteGit("for-each-ref", "--format=%(refname:strip=2) %(objectname) %(objecttype)", "refs/tags"));

    public void Dispose() => _temp.Dispose();

    public static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}
