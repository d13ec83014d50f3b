using System.CommandLine;
using PeftOps.GitHub;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops report NAME --gate-dir DIR [--release VERSION]</c>: posts the gate report in DIR
/// (report.md, gate.json) as the sticky PR comment and the check run <c>peftops / NAME</c>, or with
/// --release as the notes of the GitHub release NAME@vVERSION. The GitHub side comes from the
/// Actions environment (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_EVENT_PATH, GITHUB_API_URL);
/// without GITHUB_TOKEN the Markdown is written to DIR/comment.md (or DIR/release-notes.md).
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var adapter = new Argument<string>("adapter") { Description = "Adapter name (its folder under adapters/)." };
        var gateDir = new Option<string>("--gate-dir") { Description = "Folder with report.md and gate.json (the output of 'peftops gate').", Required = true };
        var release = new Option<string?>("--release") { Description = "Publish the GitHub release of this version (X.Y.Z) instead of the PR comment and check run." };
        var command = new Command("report", "Post an adapter's gate report to GitHub (sticky PR comment and check run, or a release); without GITHUB_TOKEN, write it to a file.")
        {
            adapter,
            gateDir,
            release,
        };
        command.SetAction((parse, cancellationToken) => PeftOpsCli.Guard(async () =>
        {
            var environment = GitHubEnvironment.FromProcess();
            var publisher = new ReportPublisher(environment, Console.Out);
            var name = parse.GetValue(adapter)!;
            var directory = parse.GetValue(gateDir)!;
            try
            {
                if (parse.GetValue(release) is { } version)
                    await publisher.PublishReleaseAsync(name, version, directory, cancellationToken).ConfigureAwait(false);
                else
                    await publisher.PublishGateAsync(name, directory, cancellationToken).ConfigureAwait(false);
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
