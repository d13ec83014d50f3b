using PeftOps.Evaluation.Metrics;

namespace PeftOps.Evaluation.Tests;

/// <summary>ROUGE-L and chrF against the values their reference packages publish; exact match after trimming.</summary>
public sealed class TextMetricsTests
{
    [Fact]
    public void Rouge_l_is_the_lcs_f_measure_of_the_rouge_score_readme()
    {
        // rouge-score's README: scorer.score('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.')
        // gives rougeL precision 0.625, recall 0.5555555555555556, fmeasure 0.5882352941176471 (LCS: the quick brown jumps the)
        Assert.Equal(0.5882352941176471, TextMetrics.RougeL("The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog"), 12);
        // rouge-score's tests: target "testing one two", prediction "testing": precision 1, recall 1/3, F 0.5
        Assert.Equal(0.5, TextMetrics.RougeL("testing", "testing one two"), 12);
        Assert.Equal(0, TextMetrics.RougeL("", "testing one two"));
        Assert.Equal(1, TextMetrics.RougeL("Testing, ONE two!", "testing one two"));
    }

    [Fact]
    public void Rouge_tokens_are_lowercase_ascii_letter_and_digit_runs()
    {
        Assert.Equal(["don", "t", "stop", "3rd", "caf"], TextMetrics.RougeTokens("Don't STOP -- 3rd café"));
    }

    [Theory]
    // sacrebleu's test_chrf.py, test_cases_effective_order (eps_smoothing=False, the default, with beta=3)
    [InlineData("a", "a", 3, 100.0)]
    [InlineData("", "reference", 3, 0.0)]
    [InlineData("a b c", "a b c", 3, 100.0)]
    [InlineData("a b c", "abc", 3, 100.0)]
    [InlineData("", "c", 3, 0.0)]
    [InlineData("aa", "ab", 3, 25.0)]
    [InlineData("Niemand hat die Absicht, eine Mauer zu errichten", "Niemand hat die Absicht, eine Mauer zu errichten", 2, 100.0)]
    // by hand with beta 2: only order 1 is effective (the answer has no bigram): P = 1, R = 1/2, F = 5 * 0.5 / (4 + 0.5)
    [InlineData("a", "ab", 2, 55.55555555555556)]
    public void Chrf_matches_sacrebleu(string answer, string reference, double beta, double expected)
    {
        Assert.Equal(expected, TextMetrics.ChrF(answer, reference, beta: beta), 4);
    }

    [Fact]
    public void Chrf_counts_an_emoji_as_one_character_as_python_does()
    {
        // "😀a" against "😀b": as code points, order 1 matches 1 of 2 each way and order 2 is effective with no match:
        // P = R = (0.5 + 0) / 2 = 0.25. As UTF-16 units it would match 2 of 3 unigrams and 1 of 2 bigrams.
        Assert.Equal(25.0, TextMetrics.ChrF("😀a", "😀b"), 9);
    }

    [Theory]
    [InlineData("  blue .\n", "blue .", 1.0)]
    [InlineData("Blue .", "blue .", 0.0)]
    [InlineData("blue", "blue .", 0.0)]
    public void Exact_match_trims_white_space_only(string answer, string reference, double expected)
    {
        Assert.Equal(expected, TextMetrics.ExactMatch(answer, reference));
    }
}
