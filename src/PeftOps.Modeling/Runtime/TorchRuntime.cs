using PeftOps.Contracts;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Runtime;

/// <summary>
/// Loads libtorch once per process. By default TorchSharp's own native libraries are used (the CPU
/// libtorch from NuGet); <c>PEFTOPS_LIBTORCH=&lt;torch/lib folder&gt;</c> loads an installed PyTorch's
/// libtorch instead, which is how a GPU runner gets CUDA (TorchSharp's CUDA packages are not served here).
/// </summary>
public static class TorchRuntime
{
    public const string LibTorchVariable = "PEFTOPS_LIBTORCH";

    private static readonly Lock Gate = new();
    private static string? source;

    /// <summary>Where libtorch came from: "nuget" or the PEFTOPS_LIBTORCH folder.</summary>
    public static string Source
    {
        get
        {
            EnsureLoaded();
            return source!;
        }
    }

    public static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    public static string LibTorchVersion => EnsureLoadedThen(() => torch.__version__ ?? "unknown");

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (source is not null)
                return;
            var folder = Environment.GetEnvironmentVariable(LibTorchVariable);
            if (string.IsNullOrWhiteSpace(folder))
            {
                source = "nuget";
                return;
            }
            LoadFrom(folder);
            source = folder;
        }
    }

    /// <summary>
    /// Resolves a device name (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>, <c>auto</c>) and initialises it.
    /// Asking for CUDA where there is none is bad input, with a message that says what to do.
    /// </summary>
    public static Device ResolveDevice(string? name)
    {
        EnsureLoaded();
        var wanted = string.IsNullOrWhiteSpace(name) ? "cpu" : name.Trim().ToLowerInvariant();
        if (wanted == "auto")
            wanted = CudaAvailable() ? "cuda" : "cpu";
        if (wanted == "cpu")
            return CPU;
        if (wanted.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!CudaAvailable())
            {
                throw new InputException(
                    $"--device {wanted}: CUDA is not available here (libtorch from {Source}). " +
                    $"On a GPU runner set {LibTorchVariable} to the torch/lib folder of a CUDA build of PyTorch, or use --device cpu.");
            }
            return new Device(wanted);
        }
        throw new InputException($"--device: unknown device '{name}' (expected cpu, cuda, cuda:N or auto)");
    }

    public static bool CudaAvailable()
    {
        EnsureLoaded();
        try
        {
            InitializeDeviceType(DeviceType.CUDA);
            return cuda.is_available();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    private static T EnsureLoadedThen<T>(Func<T> read)
    {
        EnsureLoaded();
        return read();
    }

    private static void LoadFrom(string folder)
    {
        if (!Directory.Exists(folder))
            throw new InputException($"{LibTorchVariable}={folder}: no such folder (expected the torch/lib folder of an installed PyTorch)");
        // Order matters: each library's dependencies must already be loaded.
        string[] libraries = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];
        foreach (var library in libraries)
        {
            var path = Path.Combine(folder, library);
            if (File.Exists(path))
                NativeLibrary.Load(path);
            else if (library is "libc10.so" or "libtorch_cpu.so" or "libtorch.so")
                throw new InputException($"{LibTorchVariable}={folder}: {library} is missing (expected the torch/lib folder of an installed PyTorch)");
        }
        var bridge = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(bridge))
            bridge = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        NativeLibrary.Load(bridge);
    }
}
