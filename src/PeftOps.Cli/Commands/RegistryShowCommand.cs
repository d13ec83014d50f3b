using PeftOps.Contracts;
using System.CommandLine;
using System.Globalization;

namespace PeftOps.Cli.Commands;

internal static class RegistryShowCommand
{
    public static Command Create()
    {
        var adapter = new Argument<string?>("ADAPTER") { Description = "An adapter; every adapter when left out.", Arity = ArgumentArity.ZeroOrOne };
        var stage = RegistryCommand.StageOption(required: false);
        var at = new Option<string>("--at") { Description = "With --stage: the version that held the stage at this time (ISO 8601, UTC unless an offset is given)." };
        var command = new Command("show", "Latest version and each stage's version; with --stage S --at TIME, the version that held S then.") { adapter, stage, at };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var name = parse.GetValue(adapter);
            var stageName = parse.GetValue(stage);
            var atValue = parse.GetValue(at);
            if (atValue is not null && stageName is null)
                throw new InputException("registry show: --at needs --stage");
            if (stageName is not null)
            {
                if (name is null)
                    throw new InputException("registry show: --stage needs an adapter");
                var time = atValue is null ? (DateTimeOffset?)null : RegistryCommand.ParseTime(atValue);
                var state = await registry.StateAsync(name, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(state.StageVersion(stageName, time) ?? "none");
                return ExitCodes.Success;
            }

            var states = name is null
                ? await registry.AdaptersAsync(cancellationToken).ConfigureAwait(false)
                : [await registry.StateAsync(name, cancellationToken).ConfigureAwait(false)];
            foreach (var state in states)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{state.Adapter}  latest {state.Latest ?? "none"}{(state.Deprecated ? "  (deprecated)" : "")}"));
                foreach (var s in state.Stages)
                    Console.WriteLine($"  {s,-12} {state.StageVersion(s) ?? "none"}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
