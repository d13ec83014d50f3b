using PeftOps.Contracts;
using PeftOps.Configuration;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Training.Data;
using PeftOps.Evaluation.Statistics;

namespace PeftOps.Training.Scope;

/// <summary>
/// Sets an adapter's out-of-scope threshold from validation data only: the (1 - target_in_scope_recall)-quantile of
/// the top in-scope probability over the in-scope validation messages, so that share of them is accepted. Out-of-scope
/// validation messages are only measured, never used to move the threshold.
/// </summary>
public static class ScopeCalibration
{
    public static AdapterScope Calibrate(
        TransformerModel model, IReadOnlyList<string> labels, OutOfScopeSpec oos,
        IReadOnlyList<LabeledText> inScopeValidation, IReadOnlyList<LabeledText> outOfScopeValidation, int maxLength)
    {
        var oosLabel = oos.Method == ScopeMethod.OosClass ? OutOfScopeSpec.Label : null;
        var inScope = Predictor.Probabilities(model, [.. inScopeValidation.Select(v => v.Text)], maxLength);
        var threshold = Threshold(inScope, labels, oosLabel, 1 - oos.TargetInScopeRecall);
        var accepted = inScope.Count(p => !ScopeRule.Decide(p, labels, oosLabel, threshold).OutOfScope);
        double? oosRecall = null;
        if (outOfScopeValidation.Count > 0)
        {
            var probs = Predictor.Probabilities(model, [.. outOfScopeValidation.Select(v => v.Text)], maxLength);
            oosRecall = Math.Round((double)probs.Count(p => ScopeRule.Decide(p, labels, oosLabel, threshold).OutOfScope) / probs.Length, 4);
        }
        return new AdapterScope(AdapterScopes.MethodName(oos.Method), oosLabel, threshold, oos.TargetInScopeRecall,
            Math.Round((double)accepted / inScope.Length, 4), oosRecall);
    }

    /// <summary>
    /// The threshold that rejects <paramref name="rejectShare"/> of the in-scope messages whose probabilities these are:
    /// the rejectShare-quantile of their top in-scope probability.
    /// </summary>
    public static double Threshold(IEnumerable<float[]> inScopeProbabilities, IReadOnlyList<string> labels, string? oosLabel, double rejectShare) =>
        PairedBootstrap.Quantile([.. inScopeProbabilities.Select(p => ScopeRule.Decide(p, labels, oosLabel, 0).Confidence).Order()], rejectShare);
}
