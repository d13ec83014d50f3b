using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Reporting;
using PeftOps.Registry;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops registry release NAME --version V --from RUN_DIR [--retrained] [--force --reason R --approved-by WHO]</c>.
/// Before anything is uploaded the gate is computed again from the folder's eval.json (and the baseline version its
/// gate.json names, read verified from the store): a gate.json that does not follow from them is refused.
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
        var force = new Option<bool>("--force") { Description = "Release although the gate did not pass; needs --reason and --approved-by, both kept in the lineage." };
        var reason = RegistryCommand.ReasonOption();
        var approvedBy = new Option<string?>("--approved-by") { Description = "Who approved releasing a gate that did not pass (e.g. the approver of the release environment)." };
        var command = new Command("release", "Upload, verify, tag and push a version. Running it again after a failure finishes it.")
        {
            adapter, version, from, spec, retrained, force, reason, approvedBy,
        };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var name = parse.GetValue(adapter)!;
            var folder = parse.GetValue(from)!;
            var approval = Approval(parse.GetValue(force), parse.GetValue(reason), parse.GetValue(approvedBy));
            var specDirectory = parse.GetValue(spec) ?? Path.Combine(registry.Git.Root, "adapters", name);
            await CheckGateFollowsAsync(registry, AdapterSpecLoader.Load(specDirectory), folder, cancellationToken).ConfigureAwait(false);
            var result = await registry.ReleaseAsync(name, parse.GetValue(version)!, folder, approval, parse.GetValue(retrained), cancellationToken).ConfigureAwait(false);
            var gate = result.Manifest.Gate;
            Console.WriteLine($"released {result.Tag} to {registry.Store.Location} ({result.Manifest.Origin?.Kind ?? "unknown origin"}, gate {gate.Verdict}"
                + $"{(gate.Forced ? $", forced: approved by {gate.ApprovedBy}: {gate.Reason}" : "")}); tag {(result.PushedTo is null ? "not pushed: no remote" : $"pushed to {result.PushedTo}")}");
            return ExitCodes.Success;
        }, writes: true));
        return command;
    }

    private static ReleaseApproval? Approval(bool force, string? reason, string? approvedBy)
    {
        if (!force)
            return reason is null && approvedBy is null ? null : throw new InputException("--reason and --approved-by go with --force (they record why a gate that did not pass was released)");
        if (string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(approvedBy))
            throw new InputException("--force needs --reason and --approved-by: releasing a gate that did not pass is recorded with who approved it and why");
        return new ReleaseApproval(reason.Trim(), approvedBy.Trim());
    }

    /// <summary>Computes the gate again from RUN_DIR/eval/eval.json and the baseline gate.json names; the bytes must agree.</summary>
    private static async Task CheckGateFollowsAsync(AdapterRegistry registry, AdapterSpec spec, string folder, CancellationToken cancellationToken)
    {
        var gatePath = Path.Combine(folder, "gate", GateRunner.GateFile);
        var evalPath = Path.Combine(folder, "eval", "eval.json");
        if (!File.Exists(gatePath) || !File.Exists(evalPath))
            return; // the registry names the missing file
        var recorded = GateResultJson.Read(gatePath);
        string? baselineEval = null;
        var temp = Path.Combine(Path.GetTempPath(), $"peftops-baseline-{Guid.NewGuid():N}.json");
        try
        {
            if (recorded.Baseline.Kind == BaselineKind.Production)
            {
                var version = recorded.Baseline.Version
                    ?? throw new InputException($"{gatePath}: baseline is production but names no version, so the gate cannot be checked; run peftops gate with the pulled baseline");
                var verified = await registry.VerifyAsync(spec.Name, version, cancellationToken).ConfigureAwait(false);
                await File.WriteAllBytesAsync(temp, verified.Files["eval.json"], cancellationToken).ConfigureAwait(false);
                baselineEval = temp;
            }
            // data.json is not kept with the run: the data rules are judged again on the check counts gate.json recorded
            var data = recorded.Data is { } d ? DataRules.Judge(spec.DataChecks, d.Checks, d.DataSha256, d.Diff) : null;
            var recomputed = GateResultJson.Serialize(GateRunner.Compute(spec.Gate, spec.Name, evalPath, baselineEval, recorded.Baseline.Version, data));
            var onDisk = await File.ReadAllTextAsync(gatePath, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(recomputed.ReplaceLineEndings("\n"), onDisk.ReplaceLineEndings("\n"), StringComparison.Ordinal))
            {
                var fresh = GateResultJson.Parse(recomputed, "the recomputed gate");
                throw new InputException(
                    $"{gatePath}: does not follow from {evalPath} under {spec.SourcePath}'s gate policy (recomputed verdict {fresh.Verdict.ToString().ToLowerInvariant()}, "
                    + $"the file says {recorded.Verdict.ToString().ToLowerInvariant()}); run peftops gate again instead of editing gate.json");
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
