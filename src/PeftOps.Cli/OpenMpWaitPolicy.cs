using System.Runtime.InteropServices;

namespace PeftOps.Cli;

/// <summary>
/// libtorch computes on the CPU with GNU OpenMP, whose threads by default spin at each operation's end, waiting for
/// the next, instead of sleeping. On a machine of its own that saves a wake-up per operation; on a shared one (a CI
/// runner running another job, two test projects at once) the spinning threads take the cores from the threads with
/// work, and a training step took three to twelve times as long (<c>peftops bench</c> at 32 x 32 beside other work:
/// 2,769-3,715 ms spinning, 881-1,247 ms passive; a tiny-BERT training 40.9 s against 3.1 s). So peftops asks for
/// <c>OMP_WAIT_POLICY=PASSIVE</c> unless the environment names a policy. libgomp reads its settings from the
/// process's native environment when libtorch is loaded, which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not change on Linux; hence libc's <c>setenv</c>, before any tensor exists.
/// </summary>
internal static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    public const string Default = "PASSIVE";

    /// <summary>Sets <see cref="Variable"/> to <see cref="Default"/> where it is unset; call before libtorch loads.</summary>
    public static void SetDefault()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            return;
        _ = SetEnv(Variable, Default, overwrite: 1); // unset or empty: an empty policy is no policy
        Environment.SetEnvironmentVariable(Variable, Default); // child processes (git) see what this one runs with
    }

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
