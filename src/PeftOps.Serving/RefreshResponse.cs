namespace PeftOps.Serving;

/// <summary><c>POST /v1/refresh</c>: what changed, and what is served now.</summary>
public sealed record RefreshResponse(IReadOnlyList<StageMove> Changes, IReadOnlyList<AdapterView> Adapters);
