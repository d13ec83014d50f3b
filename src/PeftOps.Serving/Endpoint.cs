namespace PeftOps.Serving;

/// <summary>What a request asks of an adapter: <c>/predict</c> or <c>/embed</c>.</summary>
public enum Endpoint
{
    Predict,
    Embed,
}

/// <summary>The names endpoints have in URLs and metric labels.</summary>
public static class EndpointNames
{
    public static string Name(this Endpoint endpoint) => endpoint == Endpoint.Predict ? "predict" : "embed";
}
