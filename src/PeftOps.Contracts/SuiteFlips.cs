namespace PeftOps.Contracts;

/// <summary>
/// Paired examples whose right/wrong outcome flipped: <see cref="Fixed"/> wrong under the baseline and right under the
/// candidate, <see cref="Broken"/> the reverse. The example lists keep the suite's order and stop at 10. For a
/// generation suite right means pass (every requirement holds), for a multiple-choice suite acc.
/// </summary>
public sealed record SuiteFlips(
    string Suite, SuiteRole Role, int Paired, int Fixed, int Broken,
    IReadOnlyList<FlipExample> FixedExamples, IReadOnlyList<FlipExample> BrokenExamples, SuiteKind? Kind = null)
{
    public const int MaxExamples = 10;
}

/// <summary>
/// A flipped example. <see cref="Baseline"/> and <see cref="Candidate"/> are predicted labels (classification),
/// <c>rejected</c>/<c>accepted</c> (out-of-scope), the chosen choice as <c>index: text</c> (multiple-choice, as is
/// <see cref="Gold"/>) or the answers (generation, whose <see cref="Text"/> is the prompt and <see cref="Gold"/> the
/// reference); the scores are top probabilities.
/// </summary>
public sealed record FlipExample(
    string Id, string Text, string? Gold, string Baseline, string Candidate, double? BaselineScore, double? CandidateScore);
