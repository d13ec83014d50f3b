using System.Diagnostics;

namespace PeftOps.Training.Benchmarking;

/// <summary>
/// The peak resident memory while one configuration runs. On Linux the kernel's high-water mark (VmHWM) is reset
/// when the probe starts (<c>/proc/self/clear_refs</c>) and read at the end, so the peak inside a step counts and
/// memory an earlier configuration left with the allocator does not; elsewhere, the resident size sampled after each step.
/// </summary>
internal sealed class MemoryProbe
{
    private readonly bool kernelPeak;
    private long sampled;

    public MemoryProbe()
    {
        try
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            MallocTrim(0); // hand what earlier configurations freed back to the kernel, so it is not counted again
            File.WriteAllText("/proc/self/clear_refs", "5");
            kernelPeak = HighWaterMark() is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            kernelPeak = false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    public long PeakBytes => kernelPeak ? HighWaterMark() ?? sampled : sampled;

    public void Sample()
    {
        using var process = Process.GetCurrentProcess();
        sampled = Math.Max(sampled, process.WorkingSet64);
    }

    private static long? HighWaterMark()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
