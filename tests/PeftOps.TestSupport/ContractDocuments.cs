using PeftOps.Contracts;

namespace PeftOps.TestSupport;

/// <summary>
/// Whole eval.json and gate.json records, as the evaluator and the gate write them, for tests of the projects that
/// read those files (Registry, GitHub): a test varies the facts it is about and writes the document through
/// Contracts' writer, so the seam is tested with the real format.
/// </summary>
public static class ContractDocuments
{
    public static readonly EnvironmentInfo Environment = new("0.1.0", "0.107.0", "2.10.0", "cpu", "linux");

    /// <summary>One classification suite <c>intents</c> of four examples: the base model gets two right, the adapted model three.</summary>
    public static EvaluationReport Eval(
        string adapter, BaseModelInfo baseModel, IReadOnlyDictionary<string, string> spec, IReadOnlyList<DataFileInfo> data,
        string? adapterSha256 = null, string? commit = null, string? parentVersion = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] labels = ["billing", "refund"];
        string[] gold = ["billing", "refund", "billing", "refund"];
        string[] basePredictions = ["billing", "billing", "billing", "billing"];
        string[] adaptedPredictions = ["billing", "refund", "refund", "refund"];
        return new EvaluationReport
        {
            Adapter = adapter,
            CreatedAt = new DateTimeOffset(2026, 5, 4, 12, 0, 0, TimeSpan.Zero),
            BaseModel = baseModel,
            AdapterSha256 = adapterSha256,
            SpecSha256 = FlatSpec.Sha256(spec),
            Spec = spec,
            Data = data,
            Environment = Environment,
            Lineage = new LineageInfo(commit, parentVersion),
            Suites =
            [
                new SuiteResult
                {
                    Name = "intents",
                    Kind = SuiteKind.Classification,
                    Role = SuiteRole.Target,
                    DataSha256 = data.FirstOrDefault(d => d.Role == DataRole.Suite)?.Sha256 ?? new string('5', 64),
                    Labels = labels,
                    Base = new SuiteMetrics { Metrics = new Dictionary<string, double> { [MetricNames.Accuracy] = 0.5 } },
                    Adapted = new SuiteMetrics { Metrics = new Dictionary<string, double> { [MetricNames.Accuracy] = 0.75 } },
                    Examples =
                    [
                        .. gold.Select((g, i) => new ExampleResult
                        {
                            Id = $"e{i}",
                            Text = $"message {i}",
                            Gold = g,
                            Base = new Outcome { Prediction = basePredictions[i], Correct = basePredictions[i] == g },
                            Adapted = new Outcome { Prediction = adaptedPredictions[i], Correct = adaptedPredictions[i] == g },
                        }),
                    ],
                },
            ],
        };
    }

    /// <summary>
    /// The gate's result for <paramref name="eval"/> with one target rule (<c>intents.accuracy</c> min 0.7), its verdict
    /// and headline as given; <paramref name="evalSha256"/> is the sha256 of the eval.json bytes it was computed from.
    /// </summary>
    public static GateResult Gate(EvaluationReport eval, Verdict verdict, Conclusion conclusion, string headline, string evalSha256)
    {
        ArgumentNullException.ThrowIfNull(eval);
        var accuracy = eval.Suites[0].Adapted.Metrics[MetricNames.Accuracy];
        var before = eval.Suites[0].Base.Metrics[MetricNames.Accuracy];
        return new GateResult
        {
            Adapter = eval.Adapter,
            Verdict = verdict,
            Conclusion = conclusion,
            ExitCode = verdict switch { Verdict.Pass => 0, Verdict.Fail => 1, _ => 3 },
            Headline = headline,
            Baseline = new BaselineInfo(BaselineKind.BaseModel, "base model (nothing in production)", null,
                [new SuitePairing("intents", BaselineKind.BaseModel, eval.Suites[0].Examples.Count, eval.Suites[0].Examples.Count, eval.Suites[0].Examples.Count, SameData: true)]),
            Confidence = 0.95,
            Resamples = 1000,
            Seed = 17,
            OnInconclusive = OnInconclusive.Neutral,
            Rules =
            [
                new RuleResult
                {
                    Metric = $"intents.{MetricNames.Accuracy}",
                    Suite = "intents",
                    Role = SuiteRole.Target,
                    Kind = RuleKind.Min,
                    Threshold = 0.7,
                    ComparedWith = BaselineKind.BaseModel,
                    Paired = eval.Suites[0].Examples.Count,
                    Baseline = before,
                    Candidate = accuracy,
                    Delta = accuracy - before,
                    HigherIsBetter = true,
                    CiLow = 0.25,
                    CiHigh = 1.0,
                    PTest = PTest.Mcnemar,
                    PValue = 0.5,
                    Verdict = verdict,
                    Reason = $"intents.accuracy {accuracy} against min 0.7",
                },
            ],
            Flips = [],
            PerClass = [],
            SpecChanges = new SpecDiff(FirstVersion: true, []),
            Lineage = new LineageFacts(eval.BaseModel, eval.AdapterSha256, eval.SpecSha256, eval.Data, eval.Lineage.Commit, eval.Lineage.ParentVersion, eval.Environment),
            Inputs = new GateInputs(evalSha256, null),
        };
    }
}
