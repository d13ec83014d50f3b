namespace PeftOps.Registry;

/// <summary>
/// The JSON message of a stage, deregistration or deprecation tag. <see cref="Action"/> is
/// <c>promote</c>, <c>rollback</c>, <c>unassign</c>, <c>deregister</c> or <c>deprecate</c>; <see cref="Replaces"/> is the stage's previous holder.
/// </summary>
public sealed record EventRecord(string Schema, string Adapter, string Action, string? Version, string? Stage, string? Replaces, string? Reason)
{
    public const string SchemaId = "peftops.event/v1";
}
