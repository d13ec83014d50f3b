using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryUnassignCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var stage = RegistryCommand.StageOption(required: true);
        var reason = RegistryCommand.ReasonOption();
        var command = new Command("unassign", "Take a stage from its version (GTO's adapter#stage!#N tag): nothing holds it afterwards.") { adapter, stage, reason };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var change = await registry.UnassignAsync(parse.GetValue(adapter)!, parse.GetValue(stage)!, parse.GetValue(reason), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{change.Tag}: {change.Stage} {change.Version} -> none");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }
}
