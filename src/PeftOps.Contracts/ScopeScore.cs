namespace PeftOps.Contracts;

/// <summary>What the calibrated threshold is applied to.</summary>
public enum ScopeScore
{
    /// <summary>The top in-scope softmax probability: a message under the threshold is out of scope.</summary>
    Confidence,
    /// <summary>
    /// The Mahalanobis distance of the classifier's L2-normalised pooled features to the nearest in-scope class mean,
    /// with one covariance shared by all classes, both fitted on the in-scope training messages after training: a
    /// message beyond the threshold is out of scope.
    /// </summary>
    Mahalanobis,
}
