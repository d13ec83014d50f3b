namespace PeftOps.Contracts;

/// <summary>
/// gate.json's <c>data</c>: the spec's <c>data_checks</c> rules judged on a data.json, the checks it summarises and
/// its diff against the baseline's data. A failing rule fails the gate; a rule whose check did not run is inconclusive.
/// </summary>
/// <param name="DataSha256">sha256 of the data.json bytes the gate read.</param>
public sealed record DataGateFacts(string DataSha256, IReadOnlyList<DataRuleResult> Rules, IReadOnlyList<DataCheckSummary> Checks, DataDiff? Diff);

/// <param name="Rule">the spec key (<c>max_leakage</c>).</param>
/// <param name="Check">the data.json check it reads (<c>leakage</c>).</param>
/// <param name="Found">the check's count; null when it did not run.</param>
public sealed record DataRuleResult(string Rule, string Check, int Threshold, int? Found, Verdict Verdict, string Reason);
