using System.Runtime.InteropServices;

namespace PeftOps.Cli;

/// <summary>
/// libtorch computes on the CPU with GNU OpenMP, whose threads spin after each operation, waiting for the next, before
/// they sleep: 300,000 turns by default. On a machine of its own that saves a wake-up per operation; on a shared one (a
/// CI runner running another job, two test projects at once) the spinning threads take the cores from the threads with
/// work. Measured on 2 cores beside other work, a tiny-BERT training took 40.9 s spinning and 3.1 s sleeping at once
/// (<c>OMP_WAIT_POLICY=PASSIVE</c>), and a <c>peftops bench</c> step at 32 x 32 2,769-3,715 ms against 881-1,247 ms.
/// Sleeping at once costs the idle machine little in training (434 against 421-428 ms a step) but almost doubles the
/// latency of one text (17-18 ms against 10-15 ms), so peftops spins briefly instead: <see cref="SpinCount"/> turns
/// (idle: 447 ms a step, 9.8 ms a text; beside two busy processes: 4.9 s for the tiny training, as passive's 5.7 s,
/// where the default took 9.2 s). Set when the environment names neither <c>OMP_WAIT_POLICY</c> nor
/// <c>GOMP_SPINCOUNT</c>. libgomp reads its settings from the process's native environment when libtorch is loaded,
/// which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Linux; hence libc's
/// <c>setenv</c>, before any tensor exists.
/// </summary>
internal static class OpenMpWaiting
{
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    public const string PolicyVariable = "OMP_WAIT_POLICY";

    public const string SpinCount = "10000";

    /// <summary>Sets <see cref="SpinCountVariable"/> to <see cref="SpinCount"/> where nothing says how to wait; call before libtorch loads.</summary>
    public static void SetDefault()
    {
        if (!OperatingSystem.IsLinux() || Named(PolicyVariable) || Named(SpinCountVariable))
            return;
        _ = SetEnv(SpinCountVariable, SpinCount, overwrite: 1); // unset or empty: an empty setting is none
        Environment.SetEnvironmentVariable(SpinCountVariable, SpinCount); // child processes see what this one runs with
    }

    private static bool Named(string variable) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable));

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
