namespace PeftOps.Serving;

/// <summary>What a request asks of an adapter: <c>/predict</c> or <c>/embed</c> of a classifier, or OpenAI's completions of a decoder.</summary>
public enum Endpoint
{
    Predict,
    Embed,
    ChatCompletions,
    Completions,
}

/// <summary>The names endpoints have in URLs and metric labels.</summary>
public static class EndpointNames
{
    public static string Name(this Endpoint endpoint) => endpoint switch
    {
        Endpoint.Predict => "predict",
        Endpoint.Embed => "embed",
        Endpoint.ChatCompletions => "chat.completions",
        _ => "completions",
    };
}
