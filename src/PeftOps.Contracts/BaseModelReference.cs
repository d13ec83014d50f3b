namespace PeftOps.Contracts;

/// <summary>The base model an adapter was trained on: its reference (<c>builtin:all-MiniLM-L6-v2</c> or a folder) and the sha256 of its weights.</summary>
public sealed record BaseModelReference(string Ref, string? Sha256);
