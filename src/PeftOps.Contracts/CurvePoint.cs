namespace PeftOps.Contracts;

/// <param name="ValidationMetric">the early-stopping metric on validation data, at steps where it was measured.</param>
public sealed record CurvePoint(int Step, double Epoch, double Loss, double LearningRate, double? ValidationMetric = null);
