using PeftOps.Contracts;
using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryPullCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var version = RegistryCommand.VersionOption(required: false);
        var stage = RegistryCommand.StageOption(required: false);
        var output = new Option<string>("--out") { Description = "A new or empty folder for the version's files.", Required = true };
        var command = new Command("pull", "Download a verified version (by --version or --stage) into a folder.") { adapter, version, stage, output };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var pulled = await registry.PullAsync(parse.GetValue(adapter)!, parse.GetValue(version), parse.GetValue(stage), parse.GetValue(output)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{pulled.Manifest.Adapter}@{pulled.Manifest.Version}: {pulled.Files.Count} verified files in {Path.GetFullPath(parse.GetValue(output)!)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
