using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryVerifyCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var version = RegistryCommand.VersionOption(required: true);
        var command = new Command("verify", "Download a version and check every file against its manifest and the manifest against its tag.") { adapter, version };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var verified = await registry.VerifyAsync(parse.GetValue(adapter)!, parse.GetValue(version)!, cancellationToken).ConfigureAwait(false);
            foreach (var (name, file) in verified.Manifest.Files)
                Console.WriteLine($"ok  {file.Sha256}  {name}");
            Console.WriteLine($"{verified.Manifest.Adapter}@{verified.Manifest.Version}: {verified.Files.Count} files verified");
            return ExitCodes.Success;
        }));
        return command;
    }
}
