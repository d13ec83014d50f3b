using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Evaluation.Gating;

/// <summary>
/// The regression gate, a pure function of the policy and the evaluation reports. The candidate's adapted model is
/// compared with the production version's adapted model, paired on the example ids both evaluated; with nothing in
/// production (or <c>compare_to: base</c>) with the base model on the candidate's own examples.
/// </summary>
public static partial class Gate
{
    /// <summary>Bootstrap resamples below this are raised to it.</summary>
    public const int MinResamples = 1000;

    /// <param name="baseline">the eval.json of the version in production, or null when nothing is in production.</param>
    /// <param name="baselineVersion">the registered version <paramref name="baseline"/> belongs to (<c>v1.2.0</c>), when known.</param>
    /// <param name="data">the data_checks rules judged on the adapter's data.json (<see cref="DataRules"/>): they count with the metric rules.</param>
    public static GateResult Evaluate(
        GatePolicy policy, string adapterName, EvaluationReport candidate, EvaluationReport? baseline, string? baselineVersion = null,
        DataGateFacts? data = null)
    {
        var production = policy.CompareTo == CompareTo.Production ? baseline : null;
        var paired = candidate.Suites.ToDictionary(
            s => s.Name,
            s => PairedSuite.Create(s, production?.Suites.FirstOrDefault(p => p.Name == s.Name)),
            StringComparer.Ordinal);
        var resamples = Math.Max(MinResamples, policy.BootstrapResamples);
        var rules = JudgeRules(policy, paired, resamples);
        Verdict[] verdicts = [.. rules.Select(r => r.Verdict), .. data?.Rules.Select(r => r.Verdict) ?? []];
        var (verdict, conclusion, exitCode) = Decide(verdicts, policy.OnInconclusive);
        var parentVersion = production is not null ? baselineVersion ?? candidate.Lineage.ParentVersion : candidate.Lineage.ParentVersion;
        var baselineInfo = DescribeBaseline(policy, baseline, production, parentVersion, paired.Values);
        return new GateResult
        {
            Adapter = adapterName,
            Verdict = verdict,
            Conclusion = conclusion,
            ExitCode = exitCode,
            Headline = Headline(adapterName, verdict, verdicts, baselineInfo, policy.OnInconclusive),
            Baseline = baselineInfo,
            Confidence = policy.Confidence,
            Resamples = resamples,
            Seed = policy.Seed,
            OnInconclusive = policy.OnInconclusive,
            Rules = rules,
            Flips = [.. paired.Values.Where(p => p.HasRightOrWrong).Select(Flips)],
            PerClass = [.. paired.Values.Where(p => p.Kind == SuiteKind.Classification).SelectMany(PerClassChanges)],
            OutOfScope = [.. paired.Values.Where(p => p.Kind == SuiteKind.OutOfScope).Select(OutOfScopeOf)],
            SuiteMetrics = [.. paired.Values.Where(p => p.Kind is SuiteKind.MultipleChoice or SuiteKind.Generation)
                .SelectMany(p => MetricComparisons(p, policy, resamples))],
            SpecChanges = FlatSpec.Diff(baseline?.Spec, candidate.Spec),
            Lineage = new LineageFacts(candidate.BaseModel, candidate.AdapterSha256, candidate.SpecSha256, candidate.Data,
                candidate.Lineage.Commit, parentVersion, candidate.Environment),
            Cost = candidate.Training is { } training ? new CostFacts(training) : null,
            Latency = candidate.Latency,
            Data = data,
        };
    }

    /// <summary>Any fail fails; otherwise any inconclusive goes by on_inconclusive; otherwise pass.</summary>
    private static (Verdict, Conclusion, int) Decide(IReadOnlyList<Verdict> rules, OnInconclusive onInconclusive)
    {
        if (rules.Any(r => r == Verdict.Fail))
            return (Verdict.Fail, Conclusion.Failure, 1);
        if (!rules.Any(r => r == Verdict.Inconclusive))
            return (Verdict.Pass, Conclusion.Success, 0);
        return onInconclusive switch
        {
            OnInconclusive.Pass => (Verdict.Pass, Conclusion.Success, 0),
            OnInconclusive.Neutral => (Verdict.Inconclusive, Conclusion.Neutral, 3),
            _ => (Verdict.Fail, Conclusion.Failure, 1),
        };
    }

    private static string Headline(
        string adapter, Verdict verdict, IReadOnlyList<Verdict> rules, BaselineInfo baseline, OnInconclusive onInconclusive)
    {
        var passed = rules.Count(r => r == Verdict.Pass);
        var failed = rules.Count(r => r == Verdict.Fail);
        var inconclusive = rules.Count(r => r == Verdict.Inconclusive);
        var outcome = verdict switch { Verdict.Pass => "passes the gate", Verdict.Fail => "fails the gate", _ => "is inconclusive at the gate" };
        var decidedByPolicy = failed == 0 && inconclusive > 0 && verdict != Verdict.Inconclusive
            ? $" (inconclusive counts as {(verdict == Verdict.Pass ? "pass" : "fail")}: on_inconclusive {onInconclusive.ToString().ToLowerInvariant()})"
            : "";
        return $"{adapter} {outcome}{decidedByPolicy}: {passed} passed, {failed} failed, {inconclusive} inconclusive "
            + $"against {baseline.Description}";
    }

    private static BaselineInfo DescribeBaseline(
        GatePolicy policy, EvaluationReport? baseline, EvaluationReport? production, string? version, IEnumerable<PairedSuite> paired)
    {
        var description = production is not null ? (version is null ? "production" : $"production ({version})")
            : baseline is not null && policy.CompareTo == CompareTo.Base ? "base model (compare_to: base)"
            : "base model (nothing in production)";
        return new BaselineInfo(
            production is null ? BaselineKind.BaseModel : BaselineKind.Production, description,
            production is null ? null : version, [.. paired.Select(p => p.Pairing)]);
    }
}
