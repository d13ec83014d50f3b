namespace PeftOps.Serving;

/// <summary><c>POST /v1/adapters/{name}/predict</c>: one prediction per text, in order, all from <see cref="Version"/>.</summary>
public sealed record PredictResponse(string Adapter, string Version, string Stage, IReadOnlyList<Prediction> Predictions);
