namespace PeftOps.Inference;

/// <summary>What a classifier's forward pass gives for one text (<see cref="Predictor.Classify"/>).</summary>
/// <param name="Probabilities">[labels] softmax probabilities, in label id order.</param>
/// <param name="Features">[H] the L2-normalised pooled features the classifier head reads; a scope with score
/// mahalanobis measures its distance on them.</param>
public sealed record ClassifierOutput(float[] Probabilities, float[] Features);
