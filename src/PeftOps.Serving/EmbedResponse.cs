namespace PeftOps.Serving;

/// <summary><c>POST /v1/adapters/{name}/embed</c>: mean-pooled, L2-normalised embeddings, in order.</summary>
public sealed record EmbedResponse(string Adapter, string Version, string Stage, IReadOnlyList<float[]> Embeddings);
