using PeftOps.Inference;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// Confident learning (Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty in Dataset Labels",
/// JAIR 2021) on out-of-fold probabilities, pruning by noise rate (cleanlab's <c>prune_by_noise_rate</c>):
/// <list type="number">
/// <item>per-class threshold t_j = mean p(j | x) over the rows labelled j (the class's mean self-confidence);</item>
/// <item>confident joint C[i, j]: each row labelled i counts once, at the label j with p(j | x) >= t_j and the
/// largest p(j | x) among those (rows above no threshold are not counted);</item>
/// <item>calibration: each row of C rescaled to the count of label i, then the whole to n;</item>
/// <item>for each off-diagonal cell (i, j), the round(C[i, j]) rows labelled i with the largest margin
/// p(j | x) - p(i | x) are flagged, with j suggested (a row flagged for several j keeps the most probable);</item>
/// <item>as cleanlab does, a flagged row whose arg-max is its given label is kept.</item>
/// </list>
/// </summary>
public static class ConfidentLearning
{
    public const string Method = "prune_by_noise_rate";

    /// <param name="probabilities">[n, K] out-of-fold probabilities.</param>
    /// <param name="labels">[n] given label ids, 0..K-1.</param>
    /// <returns>The flagged rows with the suggested label, by ascending probability of the given label.</returns>
    public static IReadOnlyList<(int Row, int Suggested)> FindIssues(float[][] probabilities, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var n = labels.Length;
        if (n == 0)
            return [];
        var k = probabilities[0].Length;
        var counts = new int[k];
        var thresholds = new double[k];
        for (var i = 0; i < n; i++)
        {
            counts[labels[i]]++;
            thresholds[labels[i]] += probabilities[i][labels[i]];
        }
        for (var j = 0; j < k; j++)
            thresholds[j] = counts[j] > 0 ? thresholds[j] / counts[j] : double.PositiveInfinity;

        // [K, K] confident joint: rows the given label, columns the confidently predicted one
        var joint = new double[k, k];
        for (var i = 0; i < n; i++)
        {
            var best = -1;
            for (var j = 0; j < k; j++)
            {
                if (probabilities[i][j] >= thresholds[j] && (best < 0 || probabilities[i][j] > probabilities[i][best]))
                    best = j;
            }
            if (best >= 0)
                joint[labels[i], best]++;
        }
        Calibrate(joint, counts, n);

        var flagged = new Dictionary<int, int>();
        for (var given = 0; given < k; given++)
        {
            var rows = Enumerable.Range(0, n).Where(r => labels[r] == given).ToList();
            for (var other = 0; other < k; other++)
            {
                var prune = (int)Math.Round(joint[given, other], MidpointRounding.ToEven);
                if (other == given || prune == 0)
                    continue;
                foreach (var r in rows.OrderByDescending(r => probabilities[r][other] - probabilities[r][given]).ThenBy(r => r).Take(prune))
                {
                    if (!flagged.TryGetValue(r, out var previous) || probabilities[r][other] > probabilities[r][previous])
                        flagged[r] = other;
                }
            }
        }
        return [.. flagged.Where(f => Predictor.ArgMax(probabilities[f.Key]) != labels[f.Key])
            .OrderBy(f => probabilities[f.Key][labels[f.Key]]).ThenBy(f => f.Key).Select(f => (f.Key, f.Value))];
    }

    // C[i, :] scaled to sum to the count of label i, then C scaled to sum to n (cleanlab's calibrate_confident_joint)
    private static void Calibrate(double[,] joint, int[] counts, int n)
    {
        var k = counts.Length;
        double total = 0;
        for (var i = 0; i < k; i++)
        {
            double row = 0;
            for (var j = 0; j < k; j++)
                row += joint[i, j];
            for (var j = 0; j < k; j++)
            {
                joint[i, j] = row > 0 ? joint[i, j] / row * counts[i] : 0;
                total += joint[i, j];
            }
        }
        for (var i = 0; i < k && total > 0; i++)
        {
            for (var j = 0; j < k; j++)
                joint[i, j] *= n / total;
        }
    }
}
