using System.CommandLine;
using System.Text.Json;
using PeftOps.Contracts;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops paths ADAPTER</c>: the run-folder layout of one adapter (<see cref="RunLayout"/>) as one JSON object,
/// paths relative to the repository root. The build reads it instead of spelling <c>artifacts/NAME/eval/eval.json</c>
/// and the rest itself, so the layout has one owner.
/// </summary>
internal static class PathsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("ADAPTER") { Description = "The adapter's name (its folder under adapters/)." };
        var command = new Command("paths", "Print where the pipeline puts one adapter's files (run folder, eval.json, gate.json, data check), as JSON.") { name };
        command.SetAction(parse => PeftOpsCli.Guard(() =>
        {
            var adapter = parse.GetValue(name)!;
            if (adapter.Length == 0 || adapter.IndexOfAny(['/', '\\']) >= 0 || adapter is "." or "..")
                throw new InputException($"ADAPTER: expected an adapter's folder name under adapters/ (was '{adapter}')");
            var layout = new RunLayout(adapter).Named().ToDictionary(p => p.Key, p => p.Value);
            Console.WriteLine(JsonSerializer.Serialize(layout));
            return ExitCodes.Success;
        }));
        return command;
    }
}
