using System.CommandLine;
using System.Globalization;

namespace PeftOps.Cli.Commands;

internal static class RegistryHistoryCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var command = new Command("history", "Every registration, assignment, rollback, deregistration and deprecation, oldest first.") { adapter };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var state = await registry.StateAsync(parse.GetValue(adapter)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{"timestamp",-20}  {"event",-14}  {"version",-10}  {"stage",-12}  {"commit",-7}  author");
            foreach (var e in state.Events)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{e.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {e.EventName,-14}  {e.Version ?? "-",-10}  {e.Stage ?? "-",-12}  {RegistryCommand.Short(e.Commit),-7}  {e.Author}"));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
