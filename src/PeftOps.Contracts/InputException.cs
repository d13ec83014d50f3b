namespace PeftOps.Contracts;

/// <summary>
/// Bad input or usage: the command-line tool prints the message (one clear line naming the file,
/// line and key where there are ones) and exits with code 2, having written nothing.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(string message) : base(message) { }
    public InputException(string message, Exception inner) : base(message, inner) { }
    public InputException() { }
}
