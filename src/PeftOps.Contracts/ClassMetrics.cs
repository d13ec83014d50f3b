namespace PeftOps.Contracts;

/// <param name="Support">the number of examples whose gold label is this class.</param>
public sealed record ClassMetrics(double Precision, double Recall, double F1, int Support);
