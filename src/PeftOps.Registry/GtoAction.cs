namespace PeftOps.Registry;

/// <summary>The events GTO encodes in tag names.</summary>
public enum GtoAction
{
    Register,
    Deregister,
    Assign,
    Unassign,
    Deprecate,
}
