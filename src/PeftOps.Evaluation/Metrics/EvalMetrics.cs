using PeftOps.Contracts;

namespace PeftOps.Evaluation.Metrics;

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

    /// <summary>Of the rejected examples, the share that were out of scope: tp / (tp + fp); 0 when nothing was rejected.</summary>
    public static double OosPrecision(IReadOnlyList<bool> isOos, IReadOnlyList<bool> rejected)
    {
        CheckSameLength(isOos.Count, rejected.Count);
        int tp = 0, fp = 0;
        for (var i = 0; i < isOos.Count; i++)
        {
            tp += rejected[i] && isOos[i] ? 1 : 0;
            fp += rejected[i] && !isOos[i] ? 1 : 0;
        }
        return tp + fp == 0 ? 0 : (double)tp / (tp + fp);
    }

    /// <summary>
    /// Area under the ROC curve of <paramref name="oosScores"/> (higher: further out of scope) separating out-of-scope
    /// from in-scope examples: P(score of a random out-of-scope example > score of a random in-scope one), ties counting
    /// half (the Mann-Whitney U statistic / (n_oos n_in)). 0.5 when either side is empty.
    /// </summary>
    public static double Auroc(IReadOnlyList<double> oosScores, IReadOnlyList<bool> isOos)
    {
        CheckSameLength(oosScores.Count, isOos.Count);
        var nOos = isOos.Count(x => x);
        var nIn = isOos.Count - nOos;
        if (nOos == 0 || nIn == 0)
            return 0.5;
        // U = sum of the out-of-scope examples' ranks (ties get their mean rank) - nOos (nOos + 1) / 2
        var order = Enumerable.Range(0, oosScores.Count).OrderBy(i => oosScores[i]).ToArray();
        double rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && oosScores[order[end + 1]] == oosScores[order[start]])
                end++;
            var meanRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                rankSum += isOos[order[k]] ? meanRank : 0;
            start = end + 1;
        }
        return (rankSum - nOos * (nOos + 1) / 2.0) / ((double)nOos * nIn);
    }

    /// <summary>
    /// The share of out-of-scope examples accepted at the strictest threshold on <paramref name="oosScores"/> that still
    /// accepts <paramref name="inScopeRecall"/> of the in-scope ones (accepted: score at most the threshold; the
    /// threshold is the ceil(recall n_in)-th smallest in-scope score). Lower is better; 1 when either side is empty.
    /// </summary>
    public static double FprAtInScopeRecall(IReadOnlyList<double> oosScores, IReadOnlyList<bool> isOos, double inScopeRecall = 0.95)
    {
        CheckSameLength(oosScores.Count, isOos.Count);
        var inScope = oosScores.Where((_, i) => !isOos[i]).Order().ToArray();
        var outOfScope = oosScores.Where((_, i) => isOos[i]).ToArray();
        if (inScope.Length == 0 || outOfScope.Length == 0)
            return 1;
        var k = Math.Clamp((int)Math.Ceiling(inScopeRecall * inScope.Length - 1e-9), 1, inScope.Length);
        var threshold = inScope[k - 1];
        return (double)outOfScope.Count(s => s <= threshold) / outOfScope.Length;
    }

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
