namespace PeftOps.Cli;

/// <summary>The command-line contract's exit codes (README, "Command-line contract").</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int GateFailed = 1;
    public const int BadInput = 2;
    public const int GateInconclusiveNeutral = 3;

    /// <summary>The answer is "nothing": no version holds the stage, no candidate was kept for these inputs.</summary>
    public const int NothingFound = 4;

    /// <summary>git, the artifact store, the network or a credential failed; the message says which and what to do.</summary>
    public const int Infrastructure = 5;

    /// <summary>An exception no command expected: a bug in peftops (sysexits' EX_SOFTWARE); one line, never a stack trace.</summary>
    public const int InternalError = 70;

    /// <summary>
    /// The run was cancelled by SIGINT (Ctrl+C), SIGTERM or SIGQUIT (<see cref="TerminationSignals"/>): 128 + SIGINT, as
    /// shells report it, whichever signal came.
    /// </summary>
    public const int Cancelled = 130;
}
