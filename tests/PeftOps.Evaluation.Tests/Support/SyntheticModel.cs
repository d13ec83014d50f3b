namespace PeftOps.Evaluation.Tests.Support;

/// <summary>
/// How well one synthetic model does: the share of intents it gets right, the noise on its similarity cosines
/// and the share of off-topic messages it rejects. <see cref="Seed"/> draws its own errors; examples share a
/// difficulty across models, so outcomes of two models are correlated the way real models' are.
/// </summary>
internal sealed record SyntheticModel(int Seed, double Accuracy, double SimilarityNoise, double RejectionRate);
