using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryDeprecateCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var reason = RegistryCommand.ReasonOption();
        var command = new Command("deprecate", "Mark the whole adapter deprecated (GTO's adapter@deprecated#N tag).") { adapter, reason };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var change = await registry.DeprecateAsync(parse.GetValue(adapter)!, parse.GetValue(reason), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{change.Tag}: {change.Adapter} deprecated");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }
}
