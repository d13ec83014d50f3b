namespace PeftOps.Serving;

// The JSON the server answers with (snake_case on the wire); docs/serve.md shows each.

/// <summary><c>POST /v1/adapters/{name}/predict</c>: one prediction per text, in order, all from <see cref="Version"/>.</summary>
public sealed record PredictResponse(string Adapter, string Version, string Stage, IReadOnlyList<Prediction> Predictions);

/// <summary>The top label and every label's probability. Out-of-scope detection, when it lands, adds its verdict here.</summary>
public sealed record Prediction(string Label, IReadOnlyDictionary<string, double> Scores);

/// <summary><c>POST /v1/adapters/{name}/embed</c>: mean-pooled, L2-normalised embeddings, in order.</summary>
public sealed record EmbedResponse(string Adapter, string Version, string Stage, IReadOnlyList<float[]> Embeddings);

/// <summary>An adapter in <c>GET /v1/adapters</c>.</summary>
public sealed record AdapterView(string Name, string Version, string Stage, string Sha256, DateTimeOffset ServingSince)
{
    public static AdapterView Of(ServingSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return new AdapterView(slot.Adapter, slot.Version, slot.Stage, slot.Sha256, slot.ServingSince);
    }
}

/// <summary><c>GET /v1/adapters</c>.</summary>
public sealed record AdaptersResponse(string Stage, IReadOnlyList<AdapterView> Adapters);

/// <summary><c>POST /v1/refresh</c>: what changed, and what is served now.</summary>
public sealed record RefreshResponse(IReadOnlyList<StageMove> Changes, IReadOnlyList<AdapterView> Adapters);

/// <summary>Every 4xx and 5xx answer.</summary>
public sealed record ErrorResponse(string Error);
