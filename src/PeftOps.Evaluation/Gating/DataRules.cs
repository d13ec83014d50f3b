using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Evaluation.Gating;

/// <summary>
/// The spec's <c>data_checks</c> rules judged on a data.json's check counts: a count at most the rule's maximum
/// passes, above it fails; a check that did not run (or that the task has no such check) is inconclusive, never passed.
/// </summary>
public static class DataRules
{
    /// <param name="dataSha256">sha256 of the data.json bytes the checks came from.</param>
    public static DataGateFacts Judge(DataChecksSpec spec, IReadOnlyList<DataCheckSummary> checks, string dataSha256, DataDiff? diff)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(checks);
        var rules = spec.Rules().Select(rule =>
        {
            var check = checks.FirstOrDefault(c => c.Name == rule.Check);
            return check switch
            {
                null => new DataRuleResult(rule.Rule, rule.Check, rule.Max, null, Verdict.Inconclusive, $"data.json has no {rule.Check} check for this task"),
                { Status: DataCheckSummary.NotRun } => new DataRuleResult(rule.Rule, rule.Check, rule.Max, null, Verdict.Inconclusive,
                    $"{rule.Check} did not run: {check.Reason}"),
                _ when check.Count > rule.Max => new DataRuleResult(rule.Rule, rule.Check, rule.Max, check.Count, Verdict.Fail,
                    $"{rule.Check} {check.Count} exceeds {rule.Rule} {rule.Max}"),
                _ => new DataRuleResult(rule.Rule, rule.Check, rule.Max, check.Count, Verdict.Pass, $"{rule.Check} {check.Count} is within {rule.Rule} {rule.Max}"),
            };
        }).ToList();
        return new DataGateFacts(dataSha256, rules, checks, diff);
    }
}
