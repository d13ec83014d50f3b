namespace PeftOps.Evaluation.Statistics;

/// <summary>
/// McNemar's exact test for paired right/wrong outcomes. Only the discordant pairs carry information:
/// b = right before and wrong after, c = wrong before and right after. Under H0 (no change) b ~ Bin(b + c, 1/2),
/// and the two-sided p-value is min(1, 2 P(X &lt;= min(b, c))).
/// </summary>
public static class McNemar
{
    public static double ExactPValue(int b, int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        var n = b + c;
        if (n == 0)
            return 1;
        return Math.Min(1, 2 * BinomialHalfCdf(Math.Min(b, c), n));
    }

    /// <summary>P(X &lt;= k) for X ~ Bin(n, 1/2), summed in log space so large n does not underflow 2^-n.</summary>
    public static double BinomialHalfCdf(int k, int n)
    {
        var logPmf = -n * Math.Log(2); // log C(n, 0) 2^-n
        var sum = 0.0;
        for (var i = 0; i <= k; i++)
        {
            sum += Math.Exp(logPmf);
            logPmf += Math.Log((double)(n - i) / (i + 1)); // C(n, i+1) = C(n, i) (n - i) / (i + 1)
        }
        return Math.Min(1, sum);
    }
}
