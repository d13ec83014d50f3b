namespace PeftOps.Modeling.Chat;

/// <summary>
/// A conversation rendered with its chat template, and the <c>[start, end)</c> character spans of <see cref="Text"/>
/// the model is trained to write: each assistant turn's content and the template's end-of-turn text after it.
/// </summary>
public sealed record ChatRendering(string Text, IReadOnlyList<(int Start, int End)> AssistantSpans);
