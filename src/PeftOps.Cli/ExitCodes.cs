namespace PeftOps.Cli;

/// <summary>The command-line contract's exit codes (DESIGN.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int GateFailed = 1;
    public const int BadInput = 2;
    public const int GateInconclusiveNeutral = 3;
}
