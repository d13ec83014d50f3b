using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class RegistryReleaseCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var version = RegistryCommand.VersionOption(required: true);
        var from = new Option<string>("--from") { Description = "What a RegressionGate run left under artifacts/<adapter>/.", Required = true };
        var force = new Option<bool>("--force") { Description = "Release even though the gate did not pass; the lineage records it." };
        var command = new Command("release", "Upload, verify, tag and push a version. Running it again after a failure finishes it.") { adapter, version, from, force };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var result = await registry.ReleaseAsync(parse.GetValue(adapter)!, parse.GetValue(version)!, parse.GetValue(from)!, parse.GetValue(force), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"released {result.Tag} to {registry.Store.Location} (gate {result.Manifest.Gate.Verdict}{(result.Manifest.Gate.Forced ? ", forced" : "")}); tag {(result.PushedTo is null ? "not pushed: no remote" : $"pushed to {result.PushedTo}")}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
