namespace PeftOps.Registry;

/// <summary>Stored bytes differ from what the manifest (or the version's tag) says they are.</summary>
public sealed class ArtifactIntegrityException : Exception
{
    public ArtifactIntegrityException(string message) : base(message) { }
    public ArtifactIntegrityException(string message, Exception inner) : base(message, inner) { }
    public ArtifactIntegrityException() { }
}
