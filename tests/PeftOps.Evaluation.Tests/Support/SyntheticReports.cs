using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;

namespace PeftOps.Evaluation.Tests.Support;

/// <summary>
/// Builds eval.json reports the way the evaluator does (metrics filled by <see cref="EvalMetrics"/>) from a
/// <see cref="SyntheticWorld"/> and two synthetic models, the base model and the adapted one.
/// </summary>
internal static class SyntheticReports
{
    public const string Adapter = "support-intents";
    public static readonly SyntheticModel BaseModel = new(Seed: 1, Accuracy: 0.35, SimilarityNoise: 0.5, RejectionRate: 0.75);

    public static EvaluationReport Build(
        SyntheticWorld world, SyntheticModel adapted, IReadOnlyDictionary<string, string>? specChanges = null,
        string? parentVersion = null, string commit = "3f2c9a1d0b7e4c6a8f1e2d3c4b5a69788796a5b4")
    {
        var spec = new SortedDictionary<string, string>(BaseSpec.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in specChanges ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
                spec.Remove(key);
            else
                spec[key] = value;
        }
        return new EvaluationReport
        {
            Adapter = Adapter,
            CreatedAt = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero),
            BaseModel = new BaseModelInfo("builtin:all-MiniLM-L6-v2", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
            AdapterSha256 = Hash(adapted.Seed, "adapter"),
            SpecSha256 = FlatSpec.Sha256(spec),   // as the evaluator writes it: the sha256 of the flattened spec it carries
            Spec = spec,
            Data =
            [
                new DataFileInfo(DataRole.Train, "train", "data/train.jsonl", Hash(11, "train"), 1200),
                new DataFileInfo(DataRole.Validation, "validation", "data/validation.jsonl", Hash(12, "validation"), 150),
                new DataFileInfo(DataRole.Suite, "intents", "data/test.jsonl", Hash(13, "intents"), world.Intents.Count),
                new DataFileInfo(DataRole.Suite, "general-similarity", "eval/general_pairs.tsv", Hash(14, "pairs"), world.Pairs.Count),
                new DataFileInfo(DataRole.Suite, "off-topic", "eval/off_topic.jsonl", Hash(15, "oos"), world.OffTopicItems.Count),
            ],
            Environment = new EnvironmentInfo("0.1.0", "0.107.0", "2.10.0", "cuda:0", "Ubuntu 24.04"),
            Lineage = new LineageInfo(commit, parentVersion),
            Training = Training(adapted.Seed),
            Latency = new LatencySummary(256, 3.12, 3.87, 3.15),
            Suites = [Intents(world, adapted), Similarity(world, adapted), OffTopic(world, adapted)],
        };
    }

    // The flattened spec as the real flattener writes it (list values as one key, every default present).
    private static readonly IReadOnlyDictionary<string, string> BaseSpec = SpecText.Flatten(new AdapterSpec
    {
        Name = Adapter,
        Description = "AwesomeShoes | support <b>intents</b>",
        BaseModel = "builtin:all-MiniLM-L6-v2",
        Method = new MethodSpec { Type = MethodType.Lora, R = 8, Alpha = 16, TargetModules = ["query", "value"] },
        Data = new DataSpec { Train = "data/train.jsonl", Validation = "data/validation.jsonl" },
        Training = new TrainingSpec { Epochs = 8, LearningRate = 5e-4, Seed = 42 },
    });

    private static SuiteResult Intents(SyntheticWorld world, SyntheticModel adapted)
    {
        var examples = world.Intents.Select(item => new ExampleResult
        {
            Id = item.Id,
            Text = item.Text,
            Gold = item.Gold,
            Base = Classify(item, BaseModel),
            Adapted = Classify(item, adapted),
        }).ToList();
        var gold = examples.Select(e => e.Gold!).ToList();
        return new SuiteResult
        {
            Name = "intents",
            Kind = SuiteKind.Classification,
            Role = SuiteRole.Target,
            DataSha256 = Hash(13, "intents"),
            Labels = SyntheticWorld.Labels,
            Base = EvalMetrics.Classification(SyntheticWorld.Labels, gold, [.. examples.Select(e => e.Base.Prediction!)]),
            Adapted = EvalMetrics.Classification(SyntheticWorld.Labels, gold, [.. examples.Select(e => e.Adapted.Prediction!)]),
            Examples = examples,
        };
    }

    private static Outcome Classify(SyntheticWorld.Item item, SyntheticModel model)
    {
        var random = Draw(model, item.Id);
        var right = 0.6 * item.Difficulty + 0.4 * random.NextDouble() < model.Accuracy;
        var gold = Array.IndexOf(SyntheticWorld.Labels, item.Gold);
        var predicted = right ? gold : (gold + 1 + random.Next(SyntheticWorld.Labels.Length - 1)) % SyntheticWorld.Labels.Length;
        var score = right ? 0.6 + 0.39 * random.NextDouble() : 0.3 + 0.4 * random.NextDouble();
        return new Outcome { Prediction = SyntheticWorld.Labels[predicted], Correct = right, Score = Math.Round(score, 4) };
    }

    private static SuiteResult Similarity(SyntheticWorld world, SyntheticModel adapted)
    {
        var examples = world.Pairs.Select(item => new ExampleResult
        {
            Id = item.Id,
            Text = item.Text,
            Text2 = item.Text2,
            GoldScore = item.GoldScore,
            Base = Cosine(item, BaseModel),
            Adapted = Cosine(item, adapted),
        }).ToList();
        var gold = examples.Select(e => e.GoldScore!.Value).ToList();
        SuiteMetrics Metrics(Func<ExampleResult, Outcome> side) => new()
        {
            Metrics = new Dictionary<string, double> { [MetricNames.Spearman] = EvalMetrics.Spearman([.. examples.Select(e => side(e).Score!.Value)], gold) },
        };
        return new SuiteResult
        {
            Name = "general-similarity",
            Kind = SuiteKind.EmbeddingSimilarity,
            Role = SuiteRole.NonTarget,
            DataSha256 = Hash(14, "pairs"),
            Base = Metrics(e => e.Base),
            Adapted = Metrics(e => e.Adapted),
            Examples = examples,
        };
    }

    private static Outcome Cosine(SyntheticWorld.Item item, SyntheticModel model)
    {
        var random = Draw(model, item.Id);
        var shared = item.Difficulty - 0.5;
        var own = random.NextDouble() - 0.5;
        var cosine = 0.15 + 0.16 * item.GoldScore!.Value + model.SimilarityNoise * (0.8 * shared + 0.15 * own);
        return new Outcome { Score = Math.Round(cosine, 4) };
    }

    private static SuiteResult OffTopic(SyntheticWorld world, SyntheticModel adapted)
    {
        var examples = world.OffTopicItems.Select(item => new ExampleResult
        {
            Id = item.Id,
            Text = item.Text,
            Base = Reject(item, BaseModel),
            Adapted = Reject(item, adapted),
        }).ToList();
        SuiteMetrics Metrics(Func<ExampleResult, Outcome> side) => new()
        {
            Metrics = new Dictionary<string, double> { [MetricNames.RejectionRate] = EvalMetrics.RejectionRate([.. examples.Select(e => side(e).Correct!.Value)]) },
        };
        return new SuiteResult
        {
            Name = "off-topic",
            Kind = SuiteKind.OutOfScope,
            Role = SuiteRole.NonTarget,
            DataSha256 = Hash(15, "oos"),
            Threshold = new OosThreshold(0.52, 0.61),
            Base = Metrics(e => e.Base),
            Adapted = Metrics(e => e.Adapted),
            Examples = examples,
        };
    }

    private static Outcome Reject(SyntheticWorld.Item item, SyntheticModel model)
    {
        var random = Draw(model, item.Id);
        var rejected = 0.7 * item.Difficulty + 0.3 * random.NextDouble() < model.RejectionRate;
        var score = rejected ? 0.2 + 0.3 * random.NextDouble() : 0.62 + 0.37 * random.NextDouble();
        return new Outcome { Prediction = rejected ? null : SyntheticWorld.Labels[random.Next(5)], Correct = rejected, Score = Math.Round(score, 4) };
    }

    private static TrainingSummary Training(int seed) => new()
    {
        Steps = 300,
        Epochs = 8,
        Seconds = 412.5 + seed,
        Device = "cuda:0",
        ExamplesPerSecond = 233.1,
        TokensPerSecond = 14918,
        PeakMemoryBytes = 1_288_490_188,
        TrainableParams = 151_301,
        TotalParams = 22_864_517,
        AdapterBytes = 612_432,
        BestStep = 270,
        Curve = [.. Enumerable.Range(1, 30).Select(i => new CurvePoint(
            i * 10, i * 10 / 37.5, Math.Round(1.6 * Math.Exp(-i / 6.0) + 0.2 + 0.02 * Math.Sin(i + seed), 4), 5e-4 * (1 - i / 31.0),
            i % 3 == 0 ? Math.Round(0.9 - 0.5 * Math.Exp(-i / 8.0), 4) : null))],
    };

    /// <summary>A per-model, per-example generator: the same model always draws the same outcome for an example.</summary>
    private static Random Draw(SyntheticModel model, string id) =>
        new(model.Seed * 7919 + id.Aggregate(17, (h, c) => unchecked(h * 31 + c)));

    private static string Hash(int seed, string salt) =>
        string.Concat(new Random(seed * 131 + salt.Length).GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 32)
            .Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
