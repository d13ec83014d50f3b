using System.Diagnostics;

namespace PeftOps.Registry;

/// <summary>
/// Fault injection for the recovery tests and <c>benchmarks/reliability</c>: with <c>PEFTOPS_FAULT=COMMAND:STEP</c>
/// (e.g. <c>release:after-push</c>) the process kills itself with SIGKILL on reaching that step, as a runner that
/// loses power would: no <c>finally</c>, no flush. The steps are listed in docs/cli.md.
/// </summary>
internal static class FaultPoint
{
    public const string EnvironmentVariable = "PEFTOPS_FAULT";

    public static void Reach(string command, string step)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) == $"{command}:{step}")
            Process.GetCurrentProcess().Kill(); // SIGKILL on Unix, TerminateProcess on Windows
    }
}
