using PeftOps.Contracts;
using System.CommandLine;
using PeftOps.Registry;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops registry show|history|release|promote|rollback|unassign|deregister|deprecate|verify|pull|next-version|candidate</c>. The store comes from
/// <c>--registry</c>, <c>PEFTOPS_REGISTRY</c>, <c>peftops.yaml</c> or the default <c>file://.peftops/registry</c>;
/// the git repository is the one around the current folder. A verification failure exits with 1.
/// </summary>
internal static class RegistryCommand
{
    /// <summary><c>--registry</c> of every <c>registry</c> subcommand: declared once on <c>registry</c>, recursive.</summary>
    public static readonly Option<string?> RegistryOption = StoreOption(recursive: true);

    /// <summary>
    /// <c>--registry URI</c>, the artifact store. <c>serve</c> declares its own, not recursive: <c>serve refresh</c> talks to a
    /// running server, not to the store, and takes no <c>--registry</c>.
    /// </summary>
    public static Option<string?> StoreOption(bool recursive) => new("--registry")
    {
        Description = "Artifact store: file://PATH or azure://ACCOUNT/CONTAINER (default: peftops.yaml's registry, else file://.peftops/registry).",
        Recursive = recursive,
    };

    public static Command Create()
    {
        var command = new Command("registry", "Release, promote, roll back and inspect adapter versions (GTO git tags + an artifact store).");
        command.Options.Add(RegistryOption);
        command.Subcommands.Add(RegistryShowCommand.Create());
        command.Subcommands.Add(RegistryHistoryCommand.Create());
        command.Subcommands.Add(RegistryReleaseCommand.Create());
        command.Subcommands.Add(RegistryPromoteCommand.Create());
        command.Subcommands.Add(RegistryRollbackCommand.Create());
        command.Subcommands.Add(RegistryVerifyCommand.Create());
        command.Subcommands.Add(RegistryPullCommand.Create());
        command.Subcommands.Add(RegistryNextVersionCommand.Create());
        command.Subcommands.Add(RegistryUnassignCommand.Create());
        command.Subcommands.Add(RegistryDeregisterCommand.Create());
        command.Subcommands.Add(RegistryDeprecateCommand.Create());
        command.Subcommands.Add(RegistryCandidateCommand.Create());
        return command;
    }

    public static Argument<string> AdapterArgument() => new("ADAPTER") { Description = "The adapter's name (its folder under adapters/)." };

    public static Option<string> VersionOption(bool required) => new("--version") { Description = "A semantic version: 1.2.0 or v1.2.0.", Required = required };

    public static Option<string> StageOption(bool required) => new("--stage") { Description = "A stage, e.g. staging or production.", Required = required };

    /// <summary>
    /// Opens the registry and runs <paramref name="body"/>: bad input exits 2, a failed verification 1, nothing there 4,
    /// git or store failures 5. A command that <paramref name="writes"/> refuses a store that will not outlive a CI job.
    /// The store is <paramref name="store"/>'s value (by default <see cref="RegistryOption"/>'s).
    /// </summary>
    public static Task<int> Run(ParseResult parse, CancellationToken cancellationToken, Func<AdapterRegistry, Task<int>> body, bool writes = false, Option<string?>? store = null) =>
        PeftOpsCli.Guard(async () =>
        {
            try
            {
                var registry = await AdapterRegistry.OpenAsync(Environment.CurrentDirectory, parse.GetValue(store ?? RegistryOption), writes, cancellationToken).ConfigureAwait(false);
                return await body(registry).ConfigureAwait(false);
            }
            catch (ArtifactIntegrityException e)
            {
                await Console.Error.WriteLineAsync($"peftops: verification failed: {e.Message}").ConfigureAwait(false);
                return ExitCodes.GateFailed;
            }
        });

    public static Option<string?> ReasonOption() => new("--reason") { Description = "Why, in a few words; kept in the tag's record." };

    public static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;

    public static DateTimeOffset ParseTime(string value)
    {
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        throw new InputException($"--at is '{value}', expected a time such as 2026-03-01T09:30:00Z");
    }
}
