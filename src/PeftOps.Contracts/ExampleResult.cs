namespace PeftOps.Contracts;

/// <summary>
/// One example of a suite with both models' outcomes. <see cref="Text2"/> and <see cref="GoldScore"/> are for
/// sentence pairs; <see cref="Gold"/> is the gold label of classification examples.
/// </summary>
public sealed record ExampleResult
{
    public required string Id { get; init; }
    public required string Text { get; init; }
    public string? Text2 { get; init; }
    public string? Gold { get; init; }
    public double? GoldScore { get; init; }
    public required Outcome Base { get; init; }
    public required Outcome Adapted { get; init; }
}
