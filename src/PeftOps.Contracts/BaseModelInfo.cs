namespace PeftOps.Contracts;

/// <param name="Ref"><c>builtin:all-MiniLM-L6-v2</c> or a checkpoint folder.</param>
/// <param name="Sha256">hash of the base model's weights.</param>
public sealed record BaseModelInfo(string Ref, string Sha256);
