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

    /// <summary>The metrics a suite of this kind has, which a gate rule may name and the gate can recompute from its examples.</summary>
    public static IReadOnlyList<string> For(SuiteKind kind) => kind switch
    {
        SuiteKind.Classification => [Accuracy, MacroF1],
        SuiteKind.EmbeddingSimilarity => [Spearman],
        SuiteKind.OutOfScope => [RejectionRate, OosRecall, OosPrecision, Auroc, FprAt95, InScopeAccuracy],
        SuiteKind.Perplexity => [Perplexity],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Every metric name, in the order of <see cref="SuiteKind"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<SuiteKind>().SelectMany(For)];

    /// <summary>False for perplexity and fpr_at_95, where lower is better; the gate turns such deltas around.</summary>
    public static bool HigherIsBetter(string metric) => metric is not (Perplexity or FprAt95);

    /// <summary>Out-of-scope metrics that need the suite's in-scope rows (examples with a gold label) to be defined.</summary>
    public static bool NeedsInScopeRows(string metric) => metric is OosPrecision or Auroc or FprAt95 or InScopeAccuracy;

    /// <summary>Metrics whose per-example outcome is right or wrong, so McNemar's test applies.</summary>
    public static bool IsPairedProportion(string metric) => metric is Accuracy or RejectionRate or OosRecall;
}
