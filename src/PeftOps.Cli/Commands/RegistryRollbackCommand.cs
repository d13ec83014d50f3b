using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryRollbackCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var stage = RegistryCommand.StageOption(required: true);
        var command = new Command("rollback", "Assign the stage's previous version again (a new tag; history stays append-only).") { adapter, stage };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var change = await registry.RollbackAsync(parse.GetValue(adapter)!, parse.GetValue(stage)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{change.Tag}: {change.Stage} {change.Replaces} -> {change.Version} (rollback)");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }
}
