namespace PeftOps.Contracts;

/// <summary>
/// Something outside the input failed: git, the artifact store, the network or a credential. The command-line
/// tool prints the message (one line: what failed and what to do) and exits with code 5; running the same
/// command again once the cause is fixed finishes the job.
/// </summary>
public sealed class InfrastructureException : Exception
{
    public InfrastructureException(string message) : base(message) { }
    public InfrastructureException(string message, Exception inner) : base(message, inner) { }
    public InfrastructureException() { }
}
