namespace PeftOps.Evaluation.Statistics;

/// <summary>
/// Holm's step-down correction for m p-values: with p(1) &lt;= ... &lt;= p(m) sorted,
/// adjusted p(i) = max over j &lt;= i of min(1, (m - j + 1) p(j)). Rejecting where the adjusted p &lt; alpha
/// controls the family-wise error rate at alpha.
/// </summary>
public static class Holm
{
    /// <returns>the adjusted p-values in the order given.</returns>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
