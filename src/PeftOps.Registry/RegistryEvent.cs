namespace PeftOps.Registry;

/// <summary>
/// One GTO tag read back: what happened (<see cref="Action"/>), to which version and stage, when (the tagger date),
/// by whom, at which commit. <see cref="Rollback"/> marks an assignment written by <c>registry rollback</c>.
/// </summary>
public sealed record RegistryEvent(
    string Tag,
    string Adapter,
    GtoAction Action,
    string? Version,
    string? Stage,
    int? Counter,
    DateTimeOffset At,
    string Author,
    string Commit,
    string Message,
    bool Rollback)
{
    /// <summary>The word <c>registry history</c> prints.</summary>
    public string EventName => Action switch
    {
        GtoAction.Register => "registration",
        GtoAction.Deregister => "deregistration",
        GtoAction.Assign => Rollback ? "rollback" : "assignment",
        GtoAction.Unassign => "unassignment",
        GtoAction.Deprecate => "deprecation",
        _ => Action.ToString(),
    };
}
