namespace PeftOps.Contracts;

/// <summary>
/// Paired examples whose right/wrong outcome flipped: <see cref="Fixed"/> wrong under the baseline and right under the
/// candidate, <see cref="Broken"/> the reverse. The example lists keep the suite's order and stop at 10.
/// </summary>
public sealed record SuiteFlips(
    string Suite, SuiteRole Role, int Paired, int Fixed, int Broken,
    IReadOnlyList<FlipExample> FixedExamples, IReadOnlyList<FlipExample> BrokenExamples)
{
    public const int MaxExamples = 10;
}
