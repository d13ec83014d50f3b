namespace PeftOps.Configuration.Schema;

/// <summary>One validation error: <c>Location</c> is <c>file:line</c> or <c>--set key</c>.</summary>
/// <param name="Order">Sort key: file errors by line, then <c>--set</c> errors in the order given.</param>
internal sealed record SpecError(string Location, long Order, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
