using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// What crosses from the build to <c>peftops registry</c>: the exit code that says "nothing there" apart from bad
/// input, infrastructure failures as one line and exit 5, no secret echoed, no write to a store that dies with the
/// CI job, and only the stages of <c>.gto</c>. Each runs the real tool as its own process in a real git repository.
/// </summary>
public sealed class RegistrySeamTests : IDisposable
{
    // Azurite's published development key (not a secret); a store at port 1 never answers
    private const string DeadStore =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    private readonly TempDirectory _repo = new("peftops-seams");

    public RegistrySeamTests()
    {
        GitCli.Run(_repo.Path, "init", "-q", "-b", "main");
        File.WriteAllText(_repo.Combine(".gto"), "stages: [staging, production]\n");
        GitCli.Run(_repo.Path, "add", "-A");
        GitCli.Run(_repo.Path, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init");
    }

    public void Dispose() => _repo.Dispose();

    private Task<CliResult> Run(Dictionary<string, string> environment, params string[] args) =>
        PeftOpsRunner.AsProcessIn(_repo.Path, new Dictionary<string, string>(environment) { ["GITHUB_ACTIONS"] = environment.GetValueOrDefault("GITHUB_ACTIONS", "") }, args);

    [Fact]
    public async Task Nothing_in_a_stage_is_exit_4_not_bad_input()
    {
        var result = await Run([], "registry", "pull", "tiny", "--stage", "production", "--out", "pulled");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal($"peftops: tiny: no version holds stage 'production' in {new Uri(_repo.Combine(".peftops", "registry")).AbsoluteUri}\n", result.Stderr);
        Assert.False(Directory.Exists(_repo.Combine("pulled")));
    }

    [Fact]
    public async Task A_store_that_does_not_answer_is_one_line_and_exit_5()
    {
        using var adapter = new TinyAdapter();
        foreach (var file in Directory.EnumerateFiles(adapter.Directory, "*", SearchOption.AllDirectories))
        {
            var target = _repo.Combine("adapters", "tiny", Path.GetRelativePath(adapter.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var result = await Run(new() { ["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING"] = DeadStore },
            "registry", "candidate", "fetch", "adapters/tiny", "--out", "fetched", "--registry", "azure://devstoreaccount1/models");

        Assert.Equal(5, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("peftops: azure://devstoreaccount1/models/candidates/tiny/", line, StringComparison.Ordinal);
        Assert.Contains("Azure Blob Storage failed (no answer", line, StringComparison.Ordinal);
        Assert.EndsWith("check the account name and the network, then run the command again", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Eby8vdM02x", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_repo.Combine("fetched")));
    }

    [Fact]
    public async Task A_connection_string_given_as_the_registry_is_refused_without_echoing_it()
    {
        var result = await Run([], "registry", "show", "tiny", "--registry", DeadStore);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("peftops: --registry: registry is a connection string (not shown), expected file://PATH or azure://ACCOUNT/CONTAINER; "
            + "put a connection string in PEFTOPS_AZURE_STORAGE_CONNECTION_STRING, never on the command line\n", result.Stderr);
        Assert.DoesNotContain("AccountKey", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_string_names_the_variable_and_not_its_value()
    {
        var result = await Run(new() { ["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING"] = "AccountKey=s3cr3t;nonsense" }, "registry", "show", "tiny", "--registry", "azure://acct/models");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("peftops: PEFTOPS_AZURE_STORAGE_CONNECTION_STRING: not a valid Azure Storage connection string", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_github_actions_a_write_to_a_folder_inside_the_checkout_is_refused()
    {
        var result = await Run(new() { ["GITHUB_ACTIONS"] = "true" }, "registry", "promote", "tiny", "--version", "1.0.0", "--stage", "production");
        var read = await Run(new() { ["GITHUB_ACTIONS"] = "true" }, "registry", "pull", "tiny", "--stage", "production", "--out", "pulled");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("peftops: default: registry is file://.peftops/registry, a folder inside this checkout, which GitHub Actions removes after the job; "
            + "set the repository variable PEFTOPS_REGISTRY to azure://ACCOUNT/CONTAINER (docs/registry.md) or to a file:// folder outside the checkout\n", result.Stderr);
        Assert.Equal(4, read.ExitCode);   // reading is harmless: nothing is there
        Assert.Empty(GitCli.Run(_repo.Path, "tag", "--list"));
    }

    [Fact]
    public async Task A_stage_that_dot_gto_does_not_list_is_refused()
    {
        var result = await Run([], "registry", "rollback", "tiny", "--stage", "prod");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: stage 'prod' is not one of the stages in {_repo.Combine(".gto")} (staging, production)\n", result.Stderr);
    }
}
