namespace PeftOps.Training.Data;

/// <param name="Line">1-based line of the example in its file (for messages).</param>
public sealed record LabeledText(string Text, string Label, int Line);
