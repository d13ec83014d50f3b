using System.CommandLine;
using System.Reflection;

namespace PeftOps.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the PeftOps version.");
        command.SetAction(_ => PeftOpsCli.Guard(() =>
        {
            Console.WriteLine(typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
            return ExitCodes.Success;
        }));
        return command;
    }
}
