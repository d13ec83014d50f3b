using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryPromoteCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var version = RegistryCommand.VersionOption(required: true);
        var stage = RegistryCommand.StageOption(required: true);
        var command = new Command("promote", "Assign a verified version to a stage (a new adapter#stage#N tag).") { adapter, version, stage };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var change = await registry.PromoteAsync(parse.GetValue(adapter)!, parse.GetValue(version)!, parse.GetValue(stage)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{change.Tag}: {change.Stage} {change.Replaces ?? "none"} -> {change.Version}");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }
}
