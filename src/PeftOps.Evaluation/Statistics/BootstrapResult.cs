namespace PeftOps.Evaluation.Statistics;

/// <param name="Candidate">the candidate's value on all paired examples.</param>
/// <param name="Baseline">the baseline's value on the same examples.</param>
/// <param name="CandidateInterval">percentile interval of the candidate's own value.</param>
/// <param name="DeltaInterval">percentile interval of candidate minus baseline.</param>
/// <param name="PValue">two-sided p-value of "no difference": 2 min(#(d* &lt;= 0) + 1, #(d* &gt;= 0) + 1) / (B + 1), at most 1.</param>
public sealed record BootstrapResult(
    double Candidate, double Baseline, Interval CandidateInterval, Interval DeltaInterval, double PValue, int Resamples)
{
    public double Delta => Candidate - Baseline;
}
