using System.Runtime.InteropServices;

namespace PeftOps.Cli.Tests;

/// <summary>
/// peftops tells libgomp (libtorch's OpenMP) to spin briefly through the native environment, which is what libgomp
/// reads when libtorch loads; .NET's own environment copy is not enough on Linux, so both are checked here.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OpenMpWaitingTests
{
    [Fact]
    public void With_nothing_said_about_waiting_the_spin_count_is_set_in_the_native_environment()
    {
        foreach (var before in new[] { null, "" })
        {
            using var policy = new Saved(OpenMpWaiting.PolicyVariable, null);
            using var spin = new Saved(OpenMpWaiting.SpinCountVariable, before);

            OpenMpWaiting.SetDefault();

            Assert.Equal("10000", NativeValue(OpenMpWaiting.SpinCountVariable));
            Assert.Equal("10000", Environment.GetEnvironmentVariable(OpenMpWaiting.SpinCountVariable));
        }
    }

    [Theory]
    [InlineData("OMP_WAIT_POLICY", "PASSIVE")]
    [InlineData("GOMP_SPINCOUNT", "300000")]
    public void A_setting_the_environment_names_is_kept(string variable, string value)
    {
        using var policy = new Saved(OpenMpWaiting.PolicyVariable, variable == OpenMpWaiting.PolicyVariable ? value : null);
        using var spin = new Saved(OpenMpWaiting.SpinCountVariable, variable == OpenMpWaiting.SpinCountVariable ? value : null);

        OpenMpWaiting.SetDefault();

        Assert.Equal(variable == OpenMpWaiting.SpinCountVariable ? value : null, NativeValue(OpenMpWaiting.SpinCountVariable));
        Assert.Equal(value, NativeValue(variable));
    }

    private static string? NativeValue(string variable) => Marshal.PtrToStringUTF8(GetEnv(variable));

    /// <summary>Sets a variable in both environments for a test, and puts back what was there.</summary>
    private sealed class Saved : IDisposable
    {
        private readonly string variable;
        private readonly string? native;
        private readonly string? managed;

        public Saved(string variable, string? value)
        {
            this.variable = variable;
            native = NativeValue(variable);
            managed = Environment.GetEnvironmentVariable(variable);
            Set(value);
        }

        public void Dispose()
        {
            Set(native);
            Environment.SetEnvironmentVariable(variable, managed);
        }

        private void Set(string? value)
        {
            _ = value is null ? UnsetEnv(variable) : SetEnv(variable, value, 1);
            Environment.SetEnvironmentVariable(variable, value);
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
