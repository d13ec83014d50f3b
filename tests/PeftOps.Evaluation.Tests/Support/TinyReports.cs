using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Evaluation.Tests.Support;

/// <summary>Small hand-made reports whose gate results can be worked out by hand.</summary>
internal static class TinyReports
{
    private static readonly SuiteMetrics NoMetrics = new() { Metrics = new Dictionary<string, double>() };

    public static EvaluationReport Report(IReadOnlyDictionary<string, string>? spec = null, params SuiteResult[] suites) => new()
    {
        Adapter = "tiny",
        CreatedAt = DateTimeOffset.UnixEpoch,
        BaseModel = new BaseModelInfo("builtin:all-MiniLM-L6-v2", "ab"),
        SpecSha256 = "cd",
        Spec = spec ?? new Dictionary<string, string> { ["method.r"] = "8" },
        Data = [],
        Environment = new EnvironmentInfo("0.1.0", "0.107.0", "2.10.0", "cpu", "linux"),
        Lineage = new LineageInfo(),
        Suites = suites,
    };

    public static SuiteResult Classification(string name, string[] gold, string[] basePredicted, string[] adaptedPredicted, int firstId = 0) =>
        Suite(name, SuiteKind.Classification, [.. gold.Concat(basePredicted).Concat(adaptedPredicted).Distinct().Order(StringComparer.Ordinal)], gold.Select((g, i) => new ExampleResult
        {
            Id = $"e{firstId + i}",
            Text = $"text {firstId + i}",
            Gold = g,
            Base = new Outcome { Prediction = basePredicted[i], Correct = basePredicted[i] == g },
            Adapted = new Outcome { Prediction = adaptedPredicted[i], Correct = adaptedPredicted[i] == g },
        }));

    /// <summary>n examples; the first baseRejected (adaptedRejected) are rejected by the base (adapted) model.</summary>
    public static SuiteResult OutOfScope(string name, int n, int baseRejected, int adaptedRejected) =>
        Suite(name, SuiteKind.OutOfScope, null, Enumerable.Range(0, n).Select(i => new ExampleResult
        {
            Id = $"o{i}",
            Text = $"off topic {i}",
            Base = new Outcome { Correct = i < baseRejected },
            Adapted = new Outcome { Correct = i < adaptedRejected },
        }));

    public static SuiteResult Similarity(string name, double[] gold, double[] baseCosine, double[] adaptedCosine) =>
        Suite(name, SuiteKind.EmbeddingSimilarity, null, gold.Select((g, i) => new ExampleResult
        {
            Id = $"p{i}",
            Text = $"a {i}",
            Text2 = $"b {i}",
            GoldScore = g,
            Base = new Outcome { Score = baseCosine[i] },
            Adapted = new Outcome { Score = adaptedCosine[i] },
        }));

    public static SuiteResult Perplexity(string name, double[] baseNll, double[] adaptedNll, int tokens) =>
        Suite(name, SuiteKind.Perplexity, null, baseNll.Select((nll, i) => new ExampleResult
        {
            Id = $"t{i}",
            Text = $"text {i}",
            Base = new Outcome { Nll = nll, Tokens = tokens },
            Adapted = new Outcome { Nll = adaptedNll[i], Tokens = tokens },
        }));

    private static SuiteResult Suite(string name, SuiteKind kind, IReadOnlyList<string>? labels, IEnumerable<ExampleResult> examples) => new()
    {
        Name = name,
        Kind = kind,
        Role = SuiteRole.Target,
        DataSha256 = "ef",
        Labels = labels,
        Base = NoMetrics,
        Adapted = NoMetrics,
        Examples = [.. examples],
    };

    public static string[] Repeat(string value, int n) => Enumerable.Repeat(value, n).ToArray();
}
