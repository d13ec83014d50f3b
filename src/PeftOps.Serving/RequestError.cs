namespace PeftOps.Serving;

/// <summary>A request the server answers with <see cref="Status"/> and <c>{"error": Message}</c>.</summary>
public sealed class RequestError : Exception
{
    public RequestError(int status, string message) : base(message) => Status = status;

    public RequestError()
    {
    }

    public RequestError(string message) : base(message)
    {
    }

    public RequestError(string message, Exception innerException) : base(message, innerException)
    {
    }

    public int Status { get; } = 400;
}
