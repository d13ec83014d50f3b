namespace PeftOps.Serving;

/// <summary>Every 4xx and 5xx answer.</summary>
public sealed record ErrorResponse(string Error);
