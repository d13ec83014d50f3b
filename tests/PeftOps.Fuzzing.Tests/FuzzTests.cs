using PeftOps.Contracts;
using PeftOps.Reliability;
using PeftOps.TestSupport;

namespace PeftOps.Fuzzing.Tests;

/// <summary>
/// Every reader of user input, and the command line, fed a few thousand seeded mutations of real inputs per run:
/// each must be handled (a value, or bad input reported as such). A crash fails the test with its seed and case and
/// the input saved under <c>artifacts/fuzz-crashes/</c>; longer runs are the benchmark (benchmarks/README.md).
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests
{
    /// <summary>Fixed, so a failure here is the same failure on every machine; the benchmark takes others.</summary>
    private const ulong Seed = 20261128;

    private const long Cases = 2_000;

    [Theory]
    [InlineData("safetensors")]
    [InlineData("adapter-config")]
    [InlineData("tokenizer-json")]
    [InlineData("spec-yaml")]
    [InlineData("data-jsonl")]
    [InlineData("data-csv")]
    [InlineData("data-tsv")]
    [InlineData("data-prompt-response")]
    [InlineData("cli")]
    public void Every_input_is_handled(string name)
    {
        using var work = new TempDirectory("peftops-fuzz");
        var target = FuzzTargets.Create(name, TestPaths.RepoRoot, work.Path);

        var result = FuzzRunner.Run(target, Seed, Cases, CrashDirectory, maxCrashes: 3);

        Assert.True(result.Crashes.Count == 0, string.Join(Environment.NewLine, result.Crashes));
        Assert.Equal(Cases, result.Tried);
        Assert.Equal(Cases, result.Handled);
    }

    [Fact]
    public void Every_target_has_a_test()
    {
        var tested = typeof(FuzzTests).GetMethod(nameof(Every_input_is_handled))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]);
        Assert.Equal(FuzzTargets.Names, tested);
    }

    [Fact]
    public void A_case_is_made_again_from_its_seed_and_number()
    {
        using var work = new TempDirectory("peftops-fuzz");
        var target = FuzzTargets.Create("adapter-config", TestPaths.RepoRoot, work.Path);

        var first = Enumerable.Range(0, 20).Select(i => target.Generate(new CsCheck.PCG((uint)i, Seed))).ToList();
        var again = Enumerable.Range(0, 20).Select(i => target.Generate(new CsCheck.PCG((uint)i, Seed))).ToList();

        Assert.Equal(first, again);
        Assert.True(first.Distinct(new BytesComparer()).Count() > 15, "mutations should differ from case to case");
    }

    [Fact]
    public void A_crash_is_reported_with_its_seed_case_and_saved_input()
    {
        using var work = new TempDirectory("peftops-fuzz");
        var crashes = Path.Combine(work.Path, "crashes");
        var target = new FuzzTarget
        {
            Name = "always-crashes",
            Extension = ".bin",
            Generate = pcg => [(byte)pcg.Next(256)],
            Run = input => new InvalidOperationException($"crashed on {input[0]}"),
        };

        var result = FuzzRunner.Run(target, 5, 10, crashes, maxCrashes: 2);

        Assert.Equal(2, result.Tried);
        Assert.Equal(0, result.Handled);
        var crash = result.Crashes[0];
        Assert.Equal((5UL, 0L), (crash.Seed, crash.Case));
        Assert.Equal(Path.Combine(crashes, "always-crashes-seed5-case0.bin"), crash.SavedInput);
        Assert.Equal(target.Generate(new CsCheck.PCG(0, 5)), File.ReadAllBytes(crash.SavedInput));
        Assert.Contains("crashed on", File.ReadAllText(Path.Combine(crashes, "always-crashes-seed5-case0.txt")), StringComparison.Ordinal);
        Assert.Contains("replay: benchmarks/reliability/fuzz.sh --target always-crashes --seed 5 --case 0", crash.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_documented_exception_counts_as_handled()
    {
        Assert.Null(FuzzTarget.Handled(() => throw new Contracts.InputException("bad")));
        Assert.Null(FuzzTarget.Handled(() => { }));
        Assert.IsType<InvalidOperationException>(FuzzTarget.Handled(() => throw new InvalidOperationException()));
        Assert.IsType<KeyNotFoundException>(FuzzTarget.Handled(() => throw new KeyNotFoundException()));
    }

    private static string CrashDirectory => Path.Combine(TestPaths.RepoRoot, "artifacts", "fuzz-crashes");

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
