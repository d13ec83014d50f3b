namespace PeftOps.Serving.OpenAi;

/// <summary>
/// A request the OpenAI-compatible endpoints refuse, answered with <see cref="Status"/> and OpenAI's error shape
/// <c>{"error": {"message", "type", "param", "code"}}</c> (<see cref="OpenAiErrorBody"/>), so OpenAI's clients raise
/// their own error types with the message.
/// </summary>
public sealed class OpenAiError : Exception
{
    /// <param name="param">The request field at fault, as OpenAI names it (<c>messages[1].role</c>); null when none is.</param>
    /// <param name="code">OpenAI's machine-readable code (<c>model_not_found</c>, <c>unsupported_value</c>); null when none fits.</param>
    public OpenAiError(int status, string message, string? param = null, string? code = null, string type = InvalidRequest) : base(message)
    {
        Status = status;
        Param = param;
        Code = code;
        Type = type;
    }

    public OpenAiError()
    {
    }

    public OpenAiError(string message) : base(message)
    {
    }

    public OpenAiError(string message, Exception innerException) : base(message, innerException)
    {
    }

    public const string InvalidRequest = "invalid_request_error";
    public const string ServerError = "server_error";

    public int Status { get; } = 400;
    public string Type { get; } = InvalidRequest;
    public string? Param { get; }
    public string? Code { get; }

    public OpenAiErrorBody Body() => new(new OpenAiErrorDetail(Message, Type, Param, Code));
}

/// <summary>OpenAI's error body: <c>{"error": {...}}</c>.</summary>
public sealed record OpenAiErrorBody(OpenAiErrorDetail Error);

/// <summary>What went wrong; <see cref="Param"/> and <see cref="Code"/> are written as null when absent, as OpenAI writes them.</summary>
public sealed record OpenAiErrorDetail(string Message, string Type, string? Param, string? Code);
