using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Evaluation.Tests.Support;

/// <summary>The four report scenarios: a pass, a fail, an inconclusive result and a first version, all on one world.</summary>
internal static class Scenarios
{
    public static readonly SyntheticWorld World = new(seed: 7);

    public static readonly SyntheticModel Production = new(Seed: 2, Accuracy: 0.70, SimilarityNoise: 0.5, RejectionRate: 0.72);

    public static GatePolicy Policy(OnInconclusive onInconclusive = OnInconclusive.Fail) => new()
    {
        Confidence = 0.95,
        BootstrapResamples = 2000,
        Seed = 20240601,
        Target = [new GateRule { Metric = "intents.accuracy", Min = 0.80, MinDelta = 0.0 }],
        NonTarget =
        [
            new GateRule { Metric = "general-similarity.spearman", MaxDrop = 0.05 },
            new GateRule { Metric = "off-topic.rejection_rate", MaxDrop = 0.10 },
        ],
        OnInconclusive = onInconclusive,
    };

    public static EvaluationReport ProductionReport() =>
        SyntheticReports.Build(World, Production, parentVersion: "v1.1.0", commit: "9d8c7b6a5f4e3d2c1b0a99887766554433221100");

    public static EvaluationReport Candidate(SyntheticModel model, IReadOnlyDictionary<string, string>? specChanges = null) =>
        SyntheticReports.Build(World, model, specChanges, parentVersion: "v1.2.0");

    public static readonly SyntheticModel Better = new(Seed: 3, Accuracy: 0.80, SimilarityNoise: 0.45, RejectionRate: 0.74);
    public static readonly SyntheticModel Damaging = new(Seed: 4, Accuracy: 0.80, SimilarityNoise: 1.5, RejectionRate: 0.50);
    public static readonly SyntheticModel Similar = new(Seed: 5, Accuracy: 0.71, SimilarityNoise: 0.5, RejectionRate: 0.72);

    public static readonly Dictionary<string, string> SpecChanges = new()
    {
        ["method.r"] = "16",
        ["method.alpha"] = "32",
        ["method.target_modules"] = "[query, value, key]",
        ["training.seed"] = "",
        ["description"] = "AwesomeShoes | support <b>intents</b>\nnow with `returns` & @support-ml",
    };
}
