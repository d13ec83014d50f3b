namespace PeftOps.Contracts;

/// <summary>
/// A well-formed question whose answer is "nothing": no version holds the stage, no reviewed candidate was kept
/// for these inputs. Not bad input: the command-line tool prints the message and exits with code 4, so a caller
/// can tell "nothing in production" from a mistyped registry (exit 2) or a store it cannot reach (exit 5).
/// </summary>
public sealed class NothingFoundException : Exception
{
    public NothingFoundException(string message) : base(message) { }
    public NothingFoundException(string message, Exception inner) : base(message, inner) { }
    public NothingFoundException() { }
}
