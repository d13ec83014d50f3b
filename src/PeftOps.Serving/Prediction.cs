namespace PeftOps.Serving;

/// <summary>The top label and every label's probability. Out-of-scope detection, when it lands, adds its verdict here.</summary>
public sealed record Prediction(string Label, IReadOnlyDictionary<string, double> Scores);
