namespace PeftOps.Serving;

/// <summary><c>GET /v1/adapters</c>.</summary>
public sealed record AdaptersResponse(string Stage, IReadOnlyList<AdapterView> Adapters);
