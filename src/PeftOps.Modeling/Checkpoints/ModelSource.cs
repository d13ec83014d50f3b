namespace PeftOps.Modeling.Checkpoints;

/// <param name="Reference">As the user wrote it: <c>builtin:all-MiniLM-L6-v2</c> or a folder.</param>
/// <param name="Folder">The checkpoint folder the weights were read from (for builtin models, the cache).</param>
/// <param name="Sha256">sha256 of the weights: of model.safetensors, or of the sorted shard hashes for a sharded checkpoint.</param>
public sealed record ModelSource(string Reference, string Folder, string Sha256, string Description);
