using System.Globalization;
using PeftOps.Reliability;

// benchmarks/reliability/fuzz.sh [--seed S] [--count N] [--target NAME]... [--case I] [--replay FILE] [--crashes DIR]
// Prints "inputs tried N, handled N" per target and in total; exits 1 when any input was not handled.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: fuzz [--seed S] [--count N] [--target NAME]... [--case I] [--replay FILE] [--crashes DIR]");
    Console.Error.WriteLine($"targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

var repoRoot = RepoRoot.Find();
var work = Directory.CreateTempSubdirectory("peftops-fuzz-").FullName;
try
{
    if (options.Replay is { } replay)
    {
        var target = FuzzTargets.Create(options.Targets.Single(), repoRoot, work);
        var crash = FuzzRunner.Replay(target, replay);
        Console.WriteLine(crash is null ? $"{target.Name}: {replay} handled" : $"{target.Name}: {replay} crashed: {crash}");
        return crash is null ? 0 : 1;
    }

    long tried = 0, handled = 0;
    foreach (var name in options.Targets)
    {
        var target = FuzzTargets.Create(name, repoRoot, work);
        var result = FuzzRunner.Run(target, options.Seed, options.Case is null ? options.Count : 1, options.Crashes, maxCrashes: 20, firstCase: options.Case ?? 0);
        tried += result.Tried;
        handled += result.Handled;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-22} inputs tried {result.Tried}, handled {result.Handled} ({result.Elapsed.TotalSeconds:F1} s, {result.Tried / Math.Max(result.Elapsed.TotalSeconds, 1e-3):F0}/s)"));
        foreach (var crash in result.Crashes)
            Console.WriteLine("  " + crash.ToString().Replace(Environment.NewLine, Environment.NewLine + "  ", StringComparison.Ordinal));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"total",-22} inputs tried {tried}, handled {handled} (seed {options.Seed})"));
    return tried == handled ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}

internal sealed record Options(ulong Seed, long Count, IReadOnlyList<string> Targets, long? Case, string? Replay, string Crashes)
{
    public static Options? Parse(string[] args)
    {
        var (seed, count, targets, @case, replay, crashes) = (1UL, 20_000L, new List<string>(), (long?)null, (string?)null, Path.Combine("artifacts", "fuzz-crashes"));
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seed" when ulong.TryParse(value, CultureInfo.InvariantCulture, out var s): seed = s; i++; break;
                case "--count" when long.TryParse(value, CultureInfo.InvariantCulture, out var c) && c > 0: count = c; i++; break;
                case "--case" when long.TryParse(value, CultureInfo.InvariantCulture, out var k) && k >= 0: @case = k; i++; break;
                case "--target" when value is not null && FuzzTargets.Names.Contains(value): targets.Add(value); i++; break;
                case "--replay" when value is not null && File.Exists(value): replay = value; i++; break;
                case "--crashes" when value is not null: crashes = value; i++; break;
                default: return null;
            }
        }
        if (replay is not null && targets.Count != 1)
            return null;
        return new Options(seed, count, targets.Count == 0 ? FuzzTargets.Names : targets, @case, replay, Path.GetFullPath(crashes));
    }
}
