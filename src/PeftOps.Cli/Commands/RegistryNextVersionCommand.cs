using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryNextVersionCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var from = new Option<string>("--from") { Description = "What a RegressionGate run left under artifacts/<adapter>/.", Required = true };
        var command = new Command("next-version", "Print the version to release as: major for a new base model, minor for a new method or data, else patch.") { adapter, from };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var proposal = await registry.ProposeNextVersionAsync(parse.GetValue(adapter)!, parse.GetValue(from)!, cancellationToken).ConfigureAwait(false);
            if (proposal.Warning is not null)
                await Console.Error.WriteLineAsync($"peftops: warning: {proposal.Warning}").ConfigureAwait(false);
            Console.WriteLine(proposal.Version);
            return ExitCodes.Success;
        }));
        return command;
    }
}
