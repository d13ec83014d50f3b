namespace PeftOps.Contracts;

/// <summary>
/// <c>RUN_DIR/train.json</c>, written by <c>peftops train</c> when a run finishes (docs/train-json.md): the run's
/// <see cref="Summary"/> and its loss curve, one point per logged step. The evaluator copies both into eval.json's
/// <c>training</c>.
/// </summary>
public sealed record TrainRun(TrainSummary Summary, IReadOnlyList<CurvePoint> Curve)
{
    public const string FileName = "train.json";
}
