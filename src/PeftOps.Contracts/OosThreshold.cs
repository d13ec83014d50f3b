namespace PeftOps.Contracts;

/// <summary>Out-of-scope: an example is rejected when its top probability is below the model's threshold.</summary>
public sealed record OosThreshold(double Base, double Adapted);
