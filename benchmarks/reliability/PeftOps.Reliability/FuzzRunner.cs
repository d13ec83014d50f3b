using System.Diagnostics;
using System.Globalization;
using CsCheck;

namespace PeftOps.Reliability;

/// <summary>One crash: the case that made it, the exception, and where its input was saved for replay.</summary>
internal sealed record FuzzCrash(string Target, ulong Seed, long Case, Exception Exception, string SavedInput)
{
    public override string ToString() =>
        $"{Target}: seed {Seed} case {Case}: {Exception.GetType().FullName}: {Exception.Message}" + Environment.NewLine
        + $"  input saved to {SavedInput}; replay: benchmarks/reliability/fuzz.sh --target {Target} --seed {Seed} --case {Case}"
        + Environment.NewLine + $"  at {Exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
}

/// <summary>What one target's run gave.</summary>
internal sealed record FuzzResult(string Target, long Tried, long Handled, IReadOnlyList<FuzzCrash> Crashes, TimeSpan Elapsed);

/// <summary>
/// Runs a target for a seed and a number of cases. Case <c>i</c> of seed <c>s</c> draws from <c>new PCG(i, s)</c>, so
/// any case can be made again alone. A crash's input is saved under <c>crashDirectory</c> with the exception beside it.
/// </summary>
internal static class FuzzRunner
{
    public static FuzzResult Run(FuzzTarget target, ulong seed, long count, string crashDirectory, int maxCrashes = 10, long firstCase = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        var crashes = new List<FuzzCrash>();
        var watch = Stopwatch.StartNew();
        long tried = 0;
        for (var i = firstCase; i < firstCase + count && crashes.Count < maxCrashes; i++)
        {
            var input = target.Generate(new PCG((uint)i, seed));
            tried++;
            if (target.Run(input) is { } exception)
                crashes.Add(new FuzzCrash(target.Name, seed, i, exception, Save(crashDirectory, target, seed, i, input, exception)));
        }
        return new FuzzResult(target.Name, tried, tried - crashes.Count, crashes, watch.Elapsed);
    }

    /// <summary>Feeds a saved input to <paramref name="target"/> again.</summary>
    public static Exception? Replay(FuzzTarget target, string savedInput)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Run(File.ReadAllBytes(savedInput));
    }

    private static string Save(string directory, FuzzTarget target, ulong seed, long @case, byte[] input, Exception exception)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{target.Name}-seed{seed}-case{@case}"));
        File.WriteAllBytes(stem + target.Extension, input);
        File.WriteAllText(stem + ".txt", exception.ToString());
        return stem + target.Extension;
    }
}
