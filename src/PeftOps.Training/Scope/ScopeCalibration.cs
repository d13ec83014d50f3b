using PeftOps.Contracts;
using PeftOps.Configuration;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Training.Data;
using PeftOps.Evaluation.Statistics;
using PeftOps.Inference;

namespace PeftOps.Training.Scope;

/// <summary>
/// Sets an adapter's out-of-scope threshold from validation data only, so that target_in_scope_recall of the in-scope
/// validation messages is accepted: the (1 - target)-quantile of their top in-scope probability (score confidence) or
/// the target-quantile of their Mahalanobis distance (score mahalanobis, whose statistics are fitted on the in-scope
/// training messages first). Out-of-scope validation messages are only measured, never used to move the threshold.
/// </summary>
public static class ScopeCalibration
{
    /// <param name="inScopeTrain">The in-scope training messages: score mahalanobis fits its class means and covariance on them.</param>
    public static AdapterScope Calibrate(
        TransformerModel model, IReadOnlyList<string> labels, OutOfScopeSpec oos, IReadOnlyList<LabeledText> inScopeTrain,
        IReadOnlyList<LabeledText> inScopeValidation, IReadOnlyList<LabeledText> outOfScopeValidation, int maxLength)
    {
        var oosLabel = oos.Method == ScopeMethod.OosClass ? OutOfScopeSpec.Label : null;
        var byDistance = oos.Score == ScopeScore.Mahalanobis;
        var statistics = byDistance ? Fit(model, labels, oosLabel, inScopeTrain, maxLength) : null;
        var uncalibrated = new AdapterScope(oos.Method, oosLabel, 0, oos.TargetInScopeRecall, 0, null, oos.Score, statistics);
        // a verdict's scores do not depend on the threshold: rank the in-scope validation messages by them
        var inScopeRows = Predictor.Classify(model, [.. inScopeValidation.Select(r => r.Text)], maxLength);
        var inScope = inScopeRows.Select(ScopeRule.For(labels, uncalibrated).Decide).ToArray();
        var threshold = byDistance
            ? PairedBootstrap.Quantile([.. inScope.Select(v => v.OosScore).Order()], oos.TargetInScopeRecall)
            : Threshold(inScopeRows.Select(r => r.Probabilities), labels, oosLabel, 1 - oos.TargetInScopeRecall);
        var calibrated = uncalibrated with { Threshold = threshold };
        var accepted = inScopeRows.Select(ScopeRule.For(labels, calibrated).Decide).Count(v => !v.OutOfScope);
        double? oosRecall = outOfScopeValidation.Count == 0 ? null
            : Math.Round((double)Verdicts(model, labels, calibrated, outOfScopeValidation, maxLength).Count(v => v.OutOfScope) / outOfScopeValidation.Count, 4);
        return calibrated with { ValidationInScopeRecall = Math.Round((double)accepted / inScope.Length, 4), ValidationOosRecall = oosRecall };
    }

    /// <summary>
    /// The threshold that rejects <paramref name="rejectShare"/> of the in-scope messages whose probabilities these are
    /// (rows of <see cref="Predictor.Probabilities"/>, or <see cref="ClassifierOutput.Probabilities"/>):
    /// the rejectShare-quantile of their top in-scope probability.
    /// </summary>
    public static double Threshold(IEnumerable<float[]> inScopeProbabilities, IReadOnlyList<string> labels, string? oosLabel, double rejectShare) =>
        PairedBootstrap.Quantile([.. inScopeProbabilities.Select(p => ScopeRule.Decide(p, labels, oosLabel, 0).Confidence).Order()], rejectShare);

    private static ScopeRule.Verdict[] Verdicts(TransformerModel model, IReadOnlyList<string> labels, AdapterScope scope, IReadOnlyList<LabeledText> rows, int maxLength)
    {
        var rule = ScopeRule.For(labels, scope);
        return [.. Predictor.Classify(model, [.. rows.Select(r => r.Text)], maxLength).Select(rule.Decide)];
    }

    private static MahalanobisStatistics Fit(TransformerModel model, IReadOnlyList<string> labels, string? oosLabel, IReadOnlyList<LabeledText> inScopeTrain, int maxLength)
    {
        var classOf = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var rows = Predictor.Classify(model, [.. inScopeTrain.Select(t => t.Text)], maxLength);
        return MahalanobisDistance.Fit([.. rows.Select(r => r.Features)], [.. inScopeTrain.Select(t => classOf[t.Label])],
            labels.Count - (oosLabel is null ? 0 : 1));
    }
}
