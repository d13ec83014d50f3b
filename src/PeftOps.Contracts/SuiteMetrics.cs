namespace PeftOps.Contracts;

/// <summary>
/// A suite's metrics for one model: <c>accuracy</c> and <c>macro_f1</c> (classification), <c>spearman</c>
/// (embedding-similarity), <c>rejection_rate</c> (out-of-scope), <c>perplexity</c>. Classification adds
/// <see cref="PerClass"/> and <see cref="Confusion"/> (rows gold, columns predicted, in the suite's label order).
/// </summary>
public sealed record SuiteMetrics
{
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    public IReadOnlyDictionary<string, ClassMetrics>? PerClass { get; init; }
    public IReadOnlyList<IReadOnlyList<int>>? Confusion { get; init; }
}

/// <param name="Support">the number of examples whose gold label is this class.</param>
public sealed record ClassMetrics(double Precision, double Recall, double F1, int Support);
