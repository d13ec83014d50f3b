using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;

namespace PeftOps.Evaluation.Gating;

/// <summary>A candidate suite lined up with its baseline: Examples[i] scored Baseline[i] and Candidate[i].</summary>
internal sealed record PairedSuite(
    SuiteResult Suite, IReadOnlyList<ExampleResult> Examples, IReadOnlyList<Outcome> Baseline, IReadOnlyList<Outcome> Candidate,
    SuitePairing Pairing)
{
    public SuiteKind Kind => Suite.Kind;

    public static PairedSuite Create(SuiteResult candidate, SuiteResult? production)
    {
        if (production is null)
        {
            return new PairedSuite(
                candidate, candidate.Examples, [.. candidate.Examples.Select(e => e.Base)], [.. candidate.Examples.Select(e => e.Adapted)],
                new SuitePairing(candidate.Name, BaselineKind.BaseModel, candidate.Examples.Count, candidate.Examples.Count,
                    candidate.Examples.Count, SameData: true));
        }
        var byId = production.Examples.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var examples = new List<ExampleResult>();
        var baseline = new List<Outcome>();
        foreach (var example in candidate.Examples)
        {
            if (byId.TryGetValue(example.Id, out var other))
            {
                examples.Add(example);
                baseline.Add(other.Adapted);
            }
        }
        if (examples.Count == 0)
        {
            throw new InputException(
                $"suite '{candidate.Name}': no example id is common to the candidate and the production evaluation, so nothing can be paired");
        }
        return new PairedSuite(
            candidate, examples, baseline, [.. examples.Select(e => e.Adapted)],
            new SuitePairing(candidate.Name, BaselineKind.Production, examples.Count, candidate.Examples.Count,
                production.Examples.Count, string.Equals(candidate.DataSha256, production.DataSha256, StringComparison.Ordinal)));
    }

    public double CandidateValue(string metric, IReadOnlyList<int>? indices = null) =>
        SuiteMetric.Compute(Kind, metric, Examples, Candidate, indices);

    public double BaselineValue(string metric, IReadOnlyList<int>? indices = null) =>
        SuiteMetric.Compute(Kind, metric, Examples, Baseline, indices);

    public bool BaselineRight(int i) => SuiteMetric.IsCorrect(Kind, Examples[i], Baseline[i]);

    public bool CandidateRight(int i) => SuiteMetric.IsCorrect(Kind, Examples[i], Candidate[i]);

    /// <summary>Right or wrong as <paramref name="metric"/> counts it (McNemar's test of a paired proportion).</summary>
    public bool BaselineRight(string metric, int i) => SuiteMetric.IsRight(Kind, metric, Examples[i], Baseline[i]);

    public bool CandidateRight(string metric, int i) => SuiteMetric.IsRight(Kind, metric, Examples[i], Candidate[i]);

    /// <summary>Suites whose examples are right or wrong as a whole (generation: pass; multiple-choice: acc), so they can flip.</summary>
    public bool HasRightOrWrong => Kind is SuiteKind.Classification or SuiteKind.OutOfScope or SuiteKind.MultipleChoice or SuiteKind.Generation;
}
