namespace PeftOps.Cli.Tests;

/// <summary>
/// peftops asks glibc's malloc to keep freed memory (what that is worth: benchmarks/README.md); an environment that tunes
/// malloc itself is left to decide. What the setting does to step time is the benchmark's to show, not a test's.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class NativeHeapTests
{
    [Fact]
    public void With_nothing_said_about_malloc_it_keeps_freed_memory()
    {
        Assert.DoesNotContain(Environment.GetEnvironmentVariables().Keys.OfType<string>(), k => k == "GLIBC_TUNABLES" || (k.StartsWith("MALLOC_", StringComparison.Ordinal) && k.EndsWith('_')));

        Assert.Equal(NativeHeap.Outcome.Kept, NativeHeap.KeepFreedMemory());
    }

    [Theory]
    [InlineData("MALLOC_ARENA_MAX_", "2")]
    [InlineData("MALLOC_MMAP_THRESHOLD_", "65536")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0")]
    public void A_malloc_setting_in_the_environment_is_left_to_decide(string variable, string value)
    {
        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            Assert.Equal(NativeHeap.Outcome.EnvironmentDecides, NativeHeap.KeepFreedMemory());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    [Fact]
    public void A_variable_that_only_starts_like_mallocs_is_not_a_malloc_setting()
    {
        Environment.SetEnvironmentVariable("MALLOC_NOTES", "x");
        try
        {
            Assert.Equal(NativeHeap.Outcome.Kept, NativeHeap.KeepFreedMemory());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MALLOC_NOTES", null);
        }
    }
}
