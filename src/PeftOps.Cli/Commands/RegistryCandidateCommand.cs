using PeftOps.Peft.Format;
using System.CommandLine;
using PeftOps.Configuration;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops registry candidate keep|fetch ADAPTER_DIR</c>: the pull request's gated run, kept in the artifact store
/// under the sha256 of its inputs (base model, spec, data), so the release ships the bytes that were reviewed.
/// </summary>
internal static class RegistryCandidateCommand
{
    public static Command Create()
    {
        var command = new Command("candidate", "Keep a gated run as the reviewed candidate for its inputs, or fetch the one kept for this checkout's inputs.");
        command.Subcommands.Add(Keep());
        command.Subcommands.Add(Fetch());
        return command;
    }

    private static Argument<string> SpecArgument() => new("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml (adapters/NAME)." };

    private static Command Keep()
    {
        var directory = SpecArgument();
        var from = new Option<string>("--from") { Description = "The gated run folder (artifacts/NAME).", Required = true };
        var command = new Command("keep", "Keep a gated run folder as the reviewed candidate for this checkout's inputs (create-only).") { directory, from };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!);
            var inputs = CandidateInputsOf.Checkout(spec);
            // on a pull request actions/checkout builds a merge commit that nobody reviewed: record the PR's head instead
            var github = GitHub.GitHubEnvironment.FromProcess();
            var reviewedCommit = github.PullRequestNumber is not null ? github.HeadSha : null;
            var record = await registry.KeepCandidateAsync(spec.Name, inputs, parse.GetValue(from)!, RunUrl(), cancellationToken, reviewedCommit).ConfigureAwait(false);
            Console.WriteLine($"kept {spec.Name} candidate {record.Address[..Math.Min(12, record.Address.Length)]} (adapter sha256 {record.Files[PeftFormat.WeightsFileName].Sha256}) in {registry.Store.Location}");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }

    private static Command Fetch()
    {
        var directory = SpecArgument();
        var output = new Option<string>("--out") { Description = "A new or empty folder: receives adapter/, eval/, gate/ and candidate.json.", Required = true };
        var command = new Command("fetch", "Fetch the candidate reviewed for this checkout's inputs, every file checked; exit 4 when none was kept.") { directory, output };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!);
            var inputs = CandidateInputsOf.Checkout(spec);
            var record = await registry.FetchCandidateAsync(spec.Name, inputs, parse.GetValue(output)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"fetched {spec.Name} candidate {record.Address[..Math.Min(12, record.Address.Length)]} reviewed at {record.Commit ?? "an unknown commit"}{(record.Reviewed is { } r ? $" ({r})" : "")} into {Path.GetFullPath(parse.GetValue(output)!)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The Actions run that kept the candidate, for the record; null outside GitHub Actions.</summary>
    private static string? RunUrl()
    {
        var (server, repository, run) = (Environment.GetEnvironmentVariable("GITHUB_SERVER_URL"), Environment.GetEnvironmentVariable("GITHUB_REPOSITORY"),
            Environment.GetEnvironmentVariable("GITHUB_RUN_ID"));
        return string.IsNullOrEmpty(server) || string.IsNullOrEmpty(repository) || string.IsNullOrEmpty(run) ? null : $"{server}/{repository}/actions/runs/{run}";
    }
}
