using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Reporting;

namespace PeftOps.Registry;

/// <summary>
/// The verdict a release may trust: the gate computed again from the run folder's eval.json (and the eval.json of the
/// baseline version its gate.json names, read verified from the store) under the spec's gate policy. A gate.json
/// whose bytes differ from the recomputed one (edited, or computed under another policy) is refused.
/// </summary>
internal static class GateRecheck
{
    public static async Task<Verdict> VerdictAsync(
        AdapterRegistry registry, GatePolicy gate, DataChecksSpec dataChecks, string policySource, ReleaseCandidate candidate, CancellationToken cancellationToken)
    {
        var gatePath = Path.Combine(candidate.Directory, RunLayout.GateFolder, RunLayout.GateFile);
        var evalPath = Path.Combine(candidate.Directory, RunLayout.EvalFolder, RunLayout.EvalFile);
        var gateBytes = candidate.AllFiles.Single(f => f.Name == RunLayout.GateFile).Content;
        var recorded = GateResultJson.Parse(gateBytes, gatePath);
        var temp = Path.Combine(Path.GetTempPath(), $"peftops-baseline-{Guid.NewGuid():N}.json");
        try
        {
            string? baselineEval = null;
            if (recorded.Baseline.Kind == BaselineKind.Production)
            {
                var version = recorded.Baseline.Version
                    ?? throw new InputException($"{gatePath}: baseline is production but names no version, so the gate cannot be checked; run peftops gate with the pulled baseline");
                var verified = await registry.VerifyAsync(candidate.Eval.Adapter, version, cancellationToken).ConfigureAwait(false);
                await File.WriteAllBytesAsync(temp, verified.Files[RunLayout.EvalFile], cancellationToken).ConfigureAwait(false);
                baselineEval = temp;
            }
            // data.json is not kept with the run: the data rules are judged again on the check counts gate.json recorded
            var data = recorded.Data is { } d ? DataRules.Judge(dataChecks, d.Checks, d.DataSha256, d.Diff) : null;
            var recomputed = GateRunner.Compute(gate, candidate.Eval.Adapter, evalPath, baselineEval, recorded.Baseline.Version, data);
            var onDisk = System.Text.Encoding.UTF8.GetString(gateBytes);
            if (!string.Equals(GateResultJson.Serialize(recomputed).ReplaceLineEndings("\n"), onDisk.ReplaceLineEndings("\n"), StringComparison.Ordinal))
                throw new InputException(
                    $"{gatePath}: does not follow from {evalPath} under {policySource}'s gate policy (recomputed verdict {Verdicts.Name(recomputed.Verdict)}, "
                    + $"the file says {Verdicts.Name(recorded.Verdict)}); run peftops gate again instead of editing gate.json");
            return recomputed.Verdict;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
