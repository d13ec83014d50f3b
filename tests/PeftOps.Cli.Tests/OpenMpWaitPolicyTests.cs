using System.Runtime.InteropServices;

namespace PeftOps.Cli.Tests;

/// <summary>
/// peftops asks libgomp (libtorch's OpenMP) for passive waiting through the native environment, which is what libgomp
/// reads when libtorch loads; .NET's own environment copy is not enough on Linux, so both are checked here.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OpenMpWaitPolicyTests
{
    [Fact]
    public void An_unset_or_empty_policy_becomes_passive_in_the_native_environment()
    {
        foreach (var before in new[] { null, "" })
        {
            using var restore = new SavedPolicy(before);

            OpenMpWaitPolicy.SetDefault();

            Assert.Equal("PASSIVE", NativeValue());
            Assert.Equal("PASSIVE", Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable));
        }
    }

    [Fact]
    public void A_policy_the_environment_names_is_kept()
    {
        using var restore = new SavedPolicy("ACTIVE");

        OpenMpWaitPolicy.SetDefault();

        Assert.Equal("ACTIVE", NativeValue());
        Assert.Equal("ACTIVE", Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable));
    }

    private static string? NativeValue() => Marshal.PtrToStringUTF8(GetEnv(OpenMpWaitPolicy.Variable));

    /// <summary>Sets the policy in both environments for a test, and puts back what was there.</summary>
    private sealed class SavedPolicy : IDisposable
    {
        private readonly string? native = NativeValue();
        private readonly string? managed = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable);

        public SavedPolicy(string? value) => Set(value);

        public void Dispose()
        {
            Set(native);
            Environment.SetEnvironmentVariable(OpenMpWaitPolicy.Variable, managed);
        }

        private static void Set(string? value)
        {
            _ = value is null ? UnsetEnv(OpenMpWaitPolicy.Variable) : SetEnv(OpenMpWaitPolicy.Variable, value, 1);
            Environment.SetEnvironmentVariable(OpenMpWaitPolicy.Variable, value);
        }
    }

    [DllImport("libc.so.6", EntryPoint = "getenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc.so.6", EntryPoint = "unsetenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int UnsetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
