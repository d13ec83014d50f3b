using System.Text;

namespace PeftOps.Evaluation.Metrics;

/// <summary>
/// Reference-based metrics of a generated answer, each a pure function of (answer, reference):
/// exact match, ROUGE-L as Google's <c>rouge-score</c> package computes it, and chrF as sacrebleu's <c>CHRF()</c> does by default.
/// </summary>
public static class TextMetrics
{
    /// <summary>1 when the answer equals the reference after trimming white space at both ends (ordinal), else 0.</summary>
    public static double ExactMatch(string answer, string reference) =>
        string.Equals(answer.Trim(), reference.Trim(), StringComparison.Ordinal) ? 1 : 0;

    /// <summary>
    /// ROUGE-L F-measure (beta 1): with L the longest common subsequence of the two token lists, P = L / |answer|,
    /// R = L / |reference|, F = 2PR / (P + R); 0 when either side has no token. Tokens as <see cref="RougeTokens"/> makes them.
    /// </summary>
    public static double RougeL(string answer, string reference)
    {
        var (a, r) = (RougeTokens(answer), RougeTokens(reference));
        if (a.Count == 0 || r.Count == 0)
            return 0;
        var lcs = LongestCommonSubsequence(a, r);
        if (lcs == 0)
            return 0;
        var (precision, recall) = ((double)lcs / a.Count, (double)lcs / r.Count);
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>
    /// rouge-score's default tokenizer (no stemming): lowercase, every run of characters other than ASCII a-z and 0-9
    /// becomes a separator. So punctuation splits words ("don't" is "don", "t") and letters outside ASCII are dropped,
    /// exactly as that package scores English text.
    /// </summary>
    public static IReadOnlyList<string> RougeTokens(string text)
    {
        var tokens = new List<string>();
        var token = new StringBuilder();
        foreach (var ch in text.ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                token.Append(ch);
                continue;
            }
            if (token.Length > 0)
                tokens.Add(token.ToString());
            token.Clear();
        }
        if (token.Length > 0)
            tokens.Add(token.ToString());
        return tokens;
    }

    /// <summary>
    /// Sentence chrF (Popović 2015) as sacrebleu's <c>CHRF(char_order=6, word_order=0, beta=2)</c> scores one answer against
    /// one reference, 0-100: white space is removed, then for n = 1..6 character n-gram counts give precision and recall
    /// (matches are clipped counts). Precision and recall are each averaged over the orders both sides have n-grams of
    /// (sacrebleu 2's "effective order"; an order either side lacks adds 1e-16 to the sums but is not counted), and
    /// chrF = (1 + beta^2) P R / (beta^2 P + R) of those averages, times 100; 0 when no order is effective.
    /// </summary>
    public static double ChrF(string answer, string reference, int charOrder = 6, double beta = 2)
    {
        const double eps = 1e-16;
        var (hyp, refText) = (RemoveWhiteSpace(answer), RemoveWhiteSpace(reference));
        double precisionSum = 0, recallSum = 0;
        var effective = 0;
        for (var n = 1; n <= charOrder; n++)
        {
            var (h, r) = (CharNGrams(hyp, n), CharNGrams(refText, n));
            var (hypCount, refCount) = (h.Values.Sum(), r.Values.Sum());
            var matches = h.Sum(kv => Math.Min(kv.Value, r.GetValueOrDefault(kv.Key)));
            precisionSum += hypCount > 0 ? (double)matches / hypCount : eps;
            recallSum += refCount > 0 ? (double)matches / refCount : eps;
            effective += hypCount > 0 && refCount > 0 ? 1 : 0;
        }
        if (effective == 0)
            return 0;
        var (precision, recall) = (precisionSum / effective, recallSum / effective);
        var factor = beta * beta;
        return precision + recall == 0 ? 0 : 100 * (1 + factor) * precision * recall / (factor * precision + recall);
    }

    private static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // one row of the classic DP table at a time: row[j] = LCS(a[..i], b[..j])
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    // sacrebleu drops white space (Python's str.split() and join); characters are code points as in Python, so a
    // character outside the Basic Multilingual Plane (an emoji) is one character, not two UTF-16 units.
    private static string[] RemoveWhiteSpace(string text) =>
        [.. text.EnumerateRunes().Where(r => !Rune.IsWhiteSpace(r)).Select(r => r.ToString())];

    private static Dictionary<string, int> CharNGrams(string[] characters, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= characters.Length; i++)
        {
            var gram = string.Concat(characters.AsSpan(i, n).ToArray());
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}
