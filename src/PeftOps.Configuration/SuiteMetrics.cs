namespace PeftOps.Configuration;

/// <summary>The metrics a gate rule may name for each suite kind (as <c>suite.metric</c>).</summary>
public static class SuiteMetrics
{
    public static IReadOnlyList<string> For(SuiteKind kind) => kind switch
    {
        SuiteKind.Classification => ["accuracy", "macro_f1"],
        SuiteKind.EmbeddingSimilarity => ["spearman"],
        SuiteKind.OutOfScope => ["rejection_rate", "oos_recall", "oos_precision", "auroc", "fpr_at_95", "in_scope_accuracy"],
        SuiteKind.Perplexity => ["perplexity"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Every metric name, in the order of <see cref="SuiteKind"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<SuiteKind>().SelectMany(For)];
}
