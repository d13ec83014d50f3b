namespace PeftOps.Contracts;

/// <summary>
/// One example of a suite with both models' outcomes. <see cref="Text2"/> and <see cref="GoldScore"/> are for
/// sentence pairs; <see cref="Gold"/> is the gold label of classification examples, the gold choice's index of
/// multiple-choice examples (whose <see cref="Text"/> is the question and <see cref="Choices"/> the choices) and the
/// reference of generation examples (whose <see cref="Text"/> is the prompt as the model saw it, cut like answers).
/// </summary>
public sealed record ExampleResult
{
    public required string Id { get; init; }
    public required string Text { get; init; }
    public string? Text2 { get; init; }
    public string? Gold { get; init; }
    public double? GoldScore { get; init; }
    public IReadOnlyList<string>? Choices { get; init; }
    public required Outcome Base { get; init; }
    public required Outcome Adapted { get; init; }
}
