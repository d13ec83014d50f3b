using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryDeregisterCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var version = RegistryCommand.VersionOption(required: true);
        var reason = RegistryCommand.ReasonOption();
        var command = new Command("deregister", "Withdraw a version (GTO's adapter@vX.Y.Z!#N tag); it leaves every stage, its files stay in the store.") { adapter, version, reason };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var change = await registry.DeregisterAsync(parse.GetValue(adapter)!, parse.GetValue(version)!, parse.GetValue(reason), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{change.Tag}: {change.Adapter}@{change.Version} deregistered");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }
}
