using PeftOps.Contracts;

namespace PeftOps.Evaluation;

/// <summary>
/// The metrics of eval.json, as pure functions. The evaluator fills <see cref="SuiteMetrics"/> with these and
/// the gate recomputes them on bootstrap resamples, so both sides always agree.
/// </summary>
public static class EvalMetrics
{
    /// <summary>Share of examples whose prediction equals the gold label (ordinal comparison).</summary>
    public static double Accuracy(IReadOnlyList<string> gold, IReadOnlyList<string> predicted)
    {
        CheckSameLength(gold.Count, predicted.Count);
        if (gold.Count == 0)
            return 0;
        var correct = 0;
        for (var i = 0; i < gold.Count; i++)
            correct += string.Equals(gold[i], predicted[i], StringComparison.Ordinal) ? 1 : 0;
        return (double)correct / gold.Count;
    }

    /// <summary>[gold, predicted] counts in <paramref name="labels"/> order.</summary>
    public static int[][] ConfusionMatrix(IReadOnlyList<string> labels, IReadOnlyList<string> gold, IReadOnlyList<string> predicted)
    {
        CheckSameLength(gold.Count, predicted.Count);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
            index[labels[i]] = i;
        var matrix = labels.Select(_ => new int[labels.Count]).ToArray();
        for (var i = 0; i < gold.Count; i++)
            matrix[IndexOf(index, gold[i])][IndexOf(index, predicted[i])]++;
        return matrix;
    }

    /// <summary>Precision tp/(tp+fp), recall tp/(tp+fn), F1 2PR/(P+R) per label; 0 where a denominator is 0.</summary>
    public static IReadOnlyDictionary<string, ClassMetrics> PerClass(
        IReadOnlyList<string> labels, IReadOnlyList<string> gold, IReadOnlyList<string> predicted)
    {
        var confusion = ConfusionMatrix(labels, gold, predicted);
        var result = new Dictionary<string, ClassMetrics>(StringComparer.Ordinal);
        for (var c = 0; c < labels.Count; c++)
        {
            var tp = confusion[c][c];
            var support = confusion[c].Sum();
            var predictedAs = confusion.Sum(row => row[c]);
            result[labels[c]] = FromCounts(tp, predictedAs - tp, support - tp);
        }
        return result;
    }

    /// <summary>
    /// Unweighted mean of the per-class F1 over the classes that occur as gold or prediction in these examples
    /// (scikit-learn's default), so a bootstrap resample without some class is not scored 0 for it.
    /// </summary>
    public static double MacroF1(IReadOnlyList<string> gold, IReadOnlyList<string> predicted)
    {
        CheckSameLength(gold.Count, predicted.Count);
        var labels = gold.Concat(predicted).Distinct(StringComparer.Ordinal).ToList();
        if (labels.Count == 0)
            return 0;
        return PerClass(labels, gold, predicted).Values.Average(m => m.F1);
    }

    /// <summary>Accuracy, macro-F1, per-class metrics and the confusion matrix of a classification suite.</summary>
    public static SuiteMetrics Classification(IReadOnlyList<string> labels, IReadOnlyList<string> gold, IReadOnlyList<string> predicted) =>
        new()
        {
            Metrics = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                [MetricNames.Accuracy] = Accuracy(gold, predicted),
                [MetricNames.MacroF1] = MacroF1(gold, predicted),
            },
            PerClass = PerClass(labels, gold, predicted),
            Confusion = ConfusionMatrix(labels, gold, predicted),
        };

    /// <summary>Share of out-of-scope examples the model rejected.</summary>
    public static double RejectionRate(IReadOnlyList<bool> rejected) =>
        rejected.Count == 0 ? 0 : (double)rejected.Count(r => r) / rejected.Count;

    /// <summary>exp(sum of nll / sum of tokens): per-token perplexity over the whole text, not a mean of per-example ones.</summary>
    public static double Perplexity(IReadOnlyList<double> nll, IReadOnlyList<int> tokens)
    {
        CheckSameLength(nll.Count, tokens.Count);
        var tokenCount = tokens.Sum(t => (long)t);
        if (tokenCount == 0)
            throw new ArgumentException("perplexity needs at least one token", nameof(tokens));
        return Math.Exp(nll.Sum() / tokenCount);
    }

    /// <summary>Spearman's rho: Pearson's correlation of average ranks (ties share the mean of their positions). 0 when a side is constant.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckSameLength(x.Count, y.Count);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks; tied values get the mean of the positions they occupy ([10, 20, 20, 30] -> [1, 2.5, 2.5, 4]).</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]].Equals(values[order[start]]))
                end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckSameLength(x.Count, y.Count);
        if (x.Count < 2)
            return 0;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    private static ClassMetrics FromCounts(int tp, int fp, int fn)
    {
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(precision, recall, f1, tp + fn);
    }

    private static int IndexOf(Dictionary<string, int> index, string label) =>
        index.TryGetValue(label, out var i) ? i : throw new ArgumentException($"label '{label}' is not one of the suite's labels");

    private static void CheckSameLength(int a, int b)
    {
        if (a != b)
            throw new ArgumentException($"the two lists differ in length ({a} and {b})");
    }
}
