namespace PeftOps.Training.Data;

/// <summary>A supervised fine-tuning example for a causal LM: the loss covers the response only.</summary>
public sealed record PromptResponse(string Prompt, string Response, int Line);
