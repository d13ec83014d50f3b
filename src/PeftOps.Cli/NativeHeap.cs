using System.Runtime.InteropServices;

namespace PeftOps.Cli;

/// <summary>
/// libtorch allocates every CPU tensor with glibc's malloc, which serves a block over 32 MB (and, until it adapts, over
/// 128 KB) with a fresh mmap and returns it to the kernel when freed. A training step's activations at real sizes are
/// such blocks, so every step faulted its memory in again and the kernel zeroed each page first: 19% of the CPU time
/// of a Qwen2.5-0.5B-shaped LoRA step at 2 x 256 tokens went to clearing pages. peftops asks malloc to keep what it
/// frees: no mmap for large blocks (<c>M_MMAP_MAX</c> 0, so they come from the heap) and no giving back the heap's top
/// (<c>M_TRIM_THRESHOLD</c> -1, which mallopt(3) documents as "never trim"); the next step reuses the memory the last
/// one freed. Measured on 2 cores: that
/// step 11.4 s before, 7.1 s after, its peak resident memory 7.4 GB before and 8.2 GB after
/// (<c>benchmarks/README.md</c>). Left alone where the environment tunes malloc itself (<c>MALLOC_*_</c> variables,
/// <c>GLIBC_TUNABLES</c>), and where there is no glibc (musl, macOS, Windows).
/// </summary>
internal static class NativeHeap
{
    // glibc's malloc.h
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapMax = -4;       // M_MMAP_MAX

    public enum Outcome
    {
        /// <summary>malloc keeps freed memory for reuse.</summary>
        Kept,
        /// <summary>The environment tunes malloc; nothing changed.</summary>
        EnvironmentDecides,
        /// <summary>No glibc malloc to tune (or it refused); nothing changed.</summary>
        Unavailable,
    }

    /// <summary>Asks glibc's malloc to keep freed memory, unless the environment already tunes it; call at startup.</summary>
    public static Outcome KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
            return Outcome.Unavailable;
        if (EnvironmentTunesMalloc())
            return Outcome.EnvironmentDecides;
        try
        {
            return MallOpt(MmapMax, 0) == 1 && MallOpt(TrimThreshold, -1) == 1 ? Outcome.Kept : Outcome.Unavailable;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Outcome.Unavailable;
        }
    }

    private static bool EnvironmentTunesMalloc()
    {
        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (key == "GLIBC_TUNABLES" || (key.StartsWith("MALLOC_", StringComparison.Ordinal) && key.EndsWith('_')))
                return true;
        }
        return false;
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallOpt(int parameter, int value);
}
