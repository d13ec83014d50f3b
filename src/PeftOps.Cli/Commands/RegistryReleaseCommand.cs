using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Registry;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops registry release NAME --version V --from RUN_DIR [--retrained] [--trigger local|tag-push|dispatch]
/// [--force | --accept-inconclusive] [--reason R] [--approved-by WHO]</c>. The command only reads the facts;
/// <see cref="ReleasePolicy"/> computes the gate again from the folder's eval.json and decides whether its verdict ships.
/// </summary>
internal static class RegistryReleaseCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var version = RegistryCommand.VersionOption(required: true);
        var from = new Option<string>("--from") { Description = "The run folder: the reviewed candidate fetched with 'registry candidate fetch' and gated again, or a new run with --retrained.", Required = true };
        var spec = new Option<string?>("--spec") { Description = "The adapter folder whose gate policy applies (default: adapters/NAME of this repository)." };
        var retrained = new Option<bool>("--retrained") { Description = "Release a new training run rather than the reviewed candidate; the lineage says so." };
        var trigger = new Option<string>("--trigger") { Description = "How the release was started: local (default), tag-push or dispatch (release.yml passes which); the release policy decides on it.", DefaultValueFactory = _ => "local" };
        var force = new Option<bool>("--force") { Description = "Accept a gate that failed or was inconclusive; needs --reason and --approved-by, both kept in the lineage." };
        var acceptInconclusive = new Option<bool>("--accept-inconclusive") { Description = "Accept an inconclusive gate, never a failed one; needs --reason and --approved-by, both kept in the lineage." };
        var reason = RegistryCommand.ReasonOption();
        var approvedBy = new Option<string?>("--approved-by") { Description = "Who approved the release (in GitHub the actor approving the release environment); recorded when the gate did not pass." };
        var command = new Command("release", "Upload, verify, tag and push a version. Running it again after a failure finishes it.")
        {
            adapter, version, from, spec, retrained, trigger, force, acceptInconclusive, reason, approvedBy,
        };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var name = parse.GetValue(adapter)!;
            if (parse.GetValue(force) && parse.GetValue(acceptInconclusive))
                throw new InputException("--force and --accept-inconclusive: give one (--force accepts a failed gate too)");
            var accepts = parse.GetValue(force) ? AcceptedVerdict.Any : parse.GetValue(acceptInconclusive) ? AcceptedVerdict.Inconclusive : AcceptedVerdict.Pass;
            var facts = new ReleaseFacts(ReleaseTriggers.Parse(parse.GetValue(trigger)!), parse.GetValue(approvedBy), accepts, parse.GetValue(reason));
            var specDirectory = parse.GetValue(spec) ?? Path.Combine(registry.Git.Root, "adapters", name);
            var policy = ReleasePolicy.For(AdapterSpecLoader.Load(specDirectory), facts);
            var result = await registry.ReleaseAsync(name, parse.GetValue(version)!, parse.GetValue(from)!, policy, parse.GetValue(retrained), cancellationToken).ConfigureAwait(false);
            var gate = result.Manifest.Gate;
            Console.WriteLine($"released {result.Tag} to {registry.Store.Location} ({result.Manifest.Origin?.Kind ?? "unknown origin"}, gate {gate.Verdict}"
                + $"{(gate.Forced ? $", forced: approved by {gate.ApprovedBy}: {gate.Reason}" : "")}); tag {(result.PushedTo is null ? "not pushed: no remote" : $"pushed to {result.PushedTo}")}");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }
}
