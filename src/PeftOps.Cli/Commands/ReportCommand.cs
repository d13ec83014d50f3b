using System.CommandLine;
using PeftOps.Contracts;
using PeftOps.GitHub;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops report NAME --gate-dir DIR [--release VERSION]</c>: posts the gate report in DIR
/// (report.md, gate.json) as the sticky PR comment and the check run <c>peftops / NAME</c>, or with
/// --release as the notes of the GitHub release NAME@vVERSION. <c>peftops report NAME --compare-dir DIR</c> posts
/// the method comparison in DIR (compare.md, compare.json) as a sticky comment of its own. The GitHub side comes from the
/// Actions environment (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_EVENT_PATH, GITHUB_API_URL);
/// without GITHUB_TOKEN the Markdown is written to DIR/comment.md (or DIR/release-notes.md).
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var adapter = new Argument<string>("ADAPTER") { Description = "Adapter name (its folder under adapters/)." };
        var gateDir = new Option<string?>("--gate-dir") { Description = "Folder with report.md and gate.json (the output of 'peftops gate')." };
        var compareDir = new Option<string?>("--compare-dir") { Description = "Instead of --gate-dir: folder with compare.md and compare.json (the output of 'peftops compare'), posted as its own sticky comment." };
        var release = new Option<string?>("--release") { Description = "Publish the GitHub release of this version (X.Y.Z) instead of the PR comment and check run." };
        var command = new Command("report", "Post an adapter's gate report (sticky PR comment and check run, or a release) or method comparison (its own sticky comment) to GitHub; without GITHUB_TOKEN, write it to a file.")
        {
            adapter,
            gateDir,
            compareDir,
            release,
        };
        command.SetAction((parse, cancellationToken) => PeftOpsCli.Guard(async () =>
        {
            var environment = GitHubEnvironment.FromProcess();
            var publisher = new ReportPublisher(environment, Console.Out);
            var name = parse.GetValue(adapter)!;
            var (directory, comparison) = (parse.GetValue(gateDir), parse.GetValue(compareDir));
            if ((directory is null) == (comparison is null))
                throw new InputException("report: expected exactly one of --gate-dir DIR and --compare-dir DIR");
            if (comparison is not null && parse.GetValue(release) is not null)
                throw new InputException("report: --release publishes a gate report (--gate-dir), not a comparison");
            try
            {
                if (comparison is not null)
                    await publisher.PublishComparisonAsync(name, comparison, cancellationToken).ConfigureAwait(false);
                else if (parse.GetValue(release) is { } version)
                    await publisher.PublishReleaseAsync(name, version, directory!, cancellationToken).ConfigureAwait(false);
                else
                    await publisher.PublishGateAsync(name, directory!, cancellationToken).ConfigureAwait(false);
            }
            catch (Octokit.ApiException e)
            {
                // one line, never the token: GitHub's status and message (403 usually means missing `checks: write` / `pull-requests: write`)
                await Console.Error.WriteLineAsync($"peftops: GitHub answered {(int)e.StatusCode} {e.StatusCode}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Infrastructure;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"peftops: cannot reach GitHub at {environment.ApiUrl}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Infrastructure;
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
