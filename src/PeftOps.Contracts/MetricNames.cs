namespace PeftOps.Contracts;

/// <summary>The metric names of eval.json and of gate rules (<c>suite.metric</c>).</summary>
public static class MetricNames
{
    public const string Accuracy = "accuracy";
    public const string MacroF1 = "macro_f1";
    public const string Spearman = "spearman";
    public const string RejectionRate = "rejection_rate";
    /// <summary>Out-of-scope: the same share as rejection_rate, under the name the out-of-scope literature uses.</summary>
    public const string OosRecall = "oos_recall";
    public const string OosPrecision = "oos_precision";
    public const string Auroc = "auroc";
    public const string FprAt95 = "fpr_at_95";
    public const string InScopeAccuracy = "in_scope_accuracy";
    public const string Perplexity = "perplexity";
    /// <summary>Multiple-choice: the choice with the highest summed log-likelihood is the gold one.</summary>
    public const string Acc = "acc";
    /// <summary>Multiple-choice: the choice with the highest log-likelihood per character of the choice is the gold one.</summary>
    public const string AccNorm = "acc_norm";
    /// <summary>Generation: the answer equals the reference after trimming white space (rows with a reference).</summary>
    public const string ExactMatch = "exact_match";
    /// <summary>Generation: ROUGE-L F-measure of answer against reference (rows with a reference).</summary>
    public const string RougeL = "rouge_l";
    /// <summary>Generation: sentence chrF (character 1-6-grams, beta 2) of answer against reference, 0-100 (rows with a reference).</summary>
    public const string ChrF = "chrf";
    /// <summary>Generation: share of rows whose every requirement holds.</summary>
    public const string PassRate = "pass_rate";

    /// <summary>Generation: the per-row requirements (keys of a generation suite's rows), each with a suite metric <c>KEY_rate</c>.</summary>
    public static IReadOnlyList<string> Requirements { get; } = ["contains", "not_contains", "regex", "not_regex", "json", "json_schema"];

    /// <summary><c>contains</c> -> <c>contains_rate</c>: share of the rows with that requirement that meet it.</summary>
    public static string RateOf(string requirement) => requirement + "_rate";

    /// <summary>The metrics a suite of this kind has, which a gate rule may name and the gate can recompute from its examples.</summary>
    public static IReadOnlyList<string> For(SuiteKind kind) => kind switch
    {
        SuiteKind.Classification => [Accuracy, MacroF1],
        SuiteKind.EmbeddingSimilarity => [Spearman],
        SuiteKind.OutOfScope => [RejectionRate, OosRecall, OosPrecision, Auroc, FprAt95, InScopeAccuracy],
        SuiteKind.Perplexity => [Perplexity],
        SuiteKind.MultipleChoice => [Acc, AccNorm],
        SuiteKind.Generation => [ExactMatch, RougeL, ChrF, PassRate, .. Requirements.Select(RateOf)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Every metric name, in the order of <see cref="SuiteKind"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<SuiteKind>().SelectMany(For)];

    /// <summary>False for perplexity and fpr_at_95, where lower is better; the gate turns such deltas around.</summary>
    public static bool HigherIsBetter(string metric) => metric is not (Perplexity or FprAt95);

    /// <summary>Out-of-scope metrics that need the suite's in-scope rows (examples with a gold label) to be defined.</summary>
    public static bool NeedsInScopeRows(string metric) => metric is OosPrecision or Auroc or FprAt95 or InScopeAccuracy;

    /// <summary>Metrics whose per-example outcome is right or wrong, so McNemar's test applies.</summary>
    public static bool IsPairedProportion(string metric) =>
        metric is Accuracy or RejectionRate or OosRecall or Acc or AccNorm or ExactMatch or PassRate || Requirements.Any(r => metric == RateOf(r));

    /// <summary>
    /// Multiple-choice and generation metrics are means of a per-example value kept in each outcome's <c>scores</c>
    /// under this key (<c>pass_rate</c> has none: it is the mean of <c>correct</c>); null for the other metrics.
    /// </summary>
    public static string? ExampleScoreKey(string metric) =>
        metric is Acc or AccNorm or ExactMatch or RougeL or ChrF ? metric
        : metric.EndsWith("_rate", StringComparison.Ordinal) && Requirements.Contains(metric[..^"_rate".Length]) ? metric[..^"_rate".Length]
        : null;
}
