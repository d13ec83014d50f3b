using PeftOps.Cli.Commands;
using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary><c>peftops compare</c> as its own process on the tiny adapter: variants from the spec and the command line.</summary>
public sealed class CompareCommandTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private const string SpecVariant = "compare:\n  variants:\n    - {name: ia3, set: [method.type=ia3]}\n";

    [Fact]
    public async Task Compares_the_variants_marks_the_lightest_passing_one_and_keeps_finished_variants_on_a_rerun()
    {
        using var adapter = new TinyAdapter(SpecVariant);
        using var temp = new TempDirectory();
        var outDir = temp.Combine("compare");
        string[] args = ["compare", adapter.Directory, "--out", outDir, "--variant", "lora-r2=method.r=2,method.alpha=4"];

        var first = await PeftOpsRunner.AsProcess(NoEnvironment, args);

        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        var report = ComparisonReportJson.Read(Path.Combine(outDir, ComparisonReport.FileName));
        Assert.Equal(["committed", "ia3", "lora-r2"], report.Variants.Select(v => v.Name));
        Assert.Equal(["method.r=2", "method.alpha=4"], report.Variants[2].Set);
        Assert.Equal("ia3 on query, value", report.Variants[1].Method);
        Assert.Equal("lora r=2 alpha=4 on query, value", report.Variants[2].Method);
        foreach (var v in report.Variants)
        {
            Assert.True(v.TrainableParams > 0 && v.AdapterBytes > 0 && v.TrainSeconds > 0 && v.LatencyMs > 0, v.ToString());
            var accuracy = Assert.Single(v.Target, m => m.Metric == "accuracy");
            Assert.Equal(RuleKind.Min, accuracy.Rule);
            Assert.InRange(accuracy.Adapted, accuracy.CiLow!.Value, accuracy.CiHigh!.Value);
            Assert.True(File.Exists(Path.Combine(outDir, v.Name, "gate", "gate.json")));
        }
        Assert.True(report.Variants[2].TrainableParams < report.Variants[0].TrainableParams, "r 2 trains fewer parameters than r 4");
        var lightest = report.Variants.Where(v => v.Passes).OrderBy(v => v.TrainableParams).ThenBy(v => v.AdapterBytes).First();
        Assert.Equal(lightest.Name, report.LightestPassing);
        Assert.Equal(0, report.ExitCode);

        var markdown = await File.ReadAllTextAsync(Path.Combine(outDir, "compare.md"));
        Assert.StartsWith($"<!-- peftops:compare adapter=tiny -->\n### Method comparison: tiny\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"**🏆 Lightest passing variant: `{lightest.Name}`**", markdown, StringComparison.Ordinal);
        var marked = Assert.Single(markdown.Split('\n'), l => l.StartsWith("| 🏆 |", StringComparison.Ordinal));
        Assert.StartsWith($"| 🏆 | `{lightest.Name}` |", marked, StringComparison.Ordinal);
        Assert.True(markdown.Contains("|  | variant | method | `colours.accuracy` | `colours.macro_f1` | trainable params | adapter | training | latency (ms/example) | gate |", StringComparison.Ordinal), markdown);
        Assert.Contains("```mermaid\nxychart-beta\n    title \"colours.accuracy per variant\"", markdown, StringComparison.Ordinal);
        Assert.Contains($"x-axis [\"{lightest.Name} (", markdown, StringComparison.Ordinal);

        var posted = await PeftOpsRunner.AsProcess(new Dictionary<string, string> { ["GITHUB_TOKEN"] = "" }, "report", "tiny", "--compare-dir", outDir);
        Assert.True(posted.ExitCode == 0, posted.Stderr);
        Assert.Equal(markdown, await File.ReadAllTextAsync(Path.Combine(outDir, "comment.md")));

        var trainedAt = report.Variants.ToDictionary(v => v.Name, v => File.GetLastWriteTimeUtc(Path.Combine(outDir, v.Name, "run", "train.json")));
        // as if killed after training ia3: its evaluation and the comparison are missing
        Directory.Delete(Path.Combine(outDir, "ia3", "eval"), recursive: true);
        File.Delete(Path.Combine(outDir, ComparisonReport.FileName));
        var again = await PeftOpsRunner.AsProcess(NoEnvironment, args);

        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        Assert.Equal(3, again.Stdout.Split('\n').Count(l => l.Contains(": trained already for this spec", StringComparison.Ordinal)));
        Assert.DoesNotContain(": training ", again.Stdout, StringComparison.Ordinal);
        foreach (var (name, at) in trainedAt)
            Assert.Equal(at, File.GetLastWriteTimeUtc(Path.Combine(outDir, name, "run", "train.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "ia3", "eval", "eval.json")));
        var rerun = ComparisonReportJson.Read(Path.Combine(outDir, ComparisonReport.FileName));
        Assert.Equal(report.LightestPassing, rerun.LightestPassing);
        Assert.Equal(report.Variants.Select(v => (v.Name, v.TrainableParams, v.AdapterBytes, v.TrainSeconds)), rerun.Variants.Select(v => (v.Name, v.TrainableParams, v.AdapterBytes, v.TrainSeconds)));
    }

    [Fact]
    public async Task A_variant_with_a_bad_key_exits_2_naming_the_variant_and_the_key_before_anything_is_written()
    {
        using var adapter = new TinyAdapter(SpecVariant);
        using var temp = new TempDirectory();
        var outDir = temp.Combine("compare");

        var result = await PeftOpsRunner.AsProcess(NoEnvironment, "compare", adapter.Directory, "--out", outDir, "--variant", "wide=method.rank=16");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("peftops: variant wide: --set method.rank: unknown key 'method.rank' (expected one of: type, r, alpha,", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));

        var tooWide = await PeftOpsRunner.AsProcess(NoEnvironment, "compare", adapter.Directory, "--out", outDir, "--variant", "huge=method.r=4096");

        Assert.Equal(2, tooWide.ExitCode);
        Assert.StartsWith("peftops: variant huge: ", tooWide.Stderr, StringComparison.Ordinal);
        Assert.Contains("method.r", tooWide.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task An_out_folder_that_cannot_be_made_exits_2_before_any_training()
    {
        using var adapter = new TinyAdapter();
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("file"), "");

        var result = await PeftOpsRunner.AsProcess(NoEnvironment, "compare", adapter.Directory, "--out", temp.Combine("file", "compare"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"peftops: --out {temp.Combine("file", "compare")}: cannot create the folder (", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("training", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_takes_exactly_one_of_the_gate_and_the_compare_folder()
    {
        var neither = await PeftOpsRunner.AsProcess(NoEnvironment, "report", "tiny");
        var both = await PeftOpsRunner.AsProcess(NoEnvironment, "report", "tiny", "--gate-dir", "g", "--compare-dir", "c");

        Assert.Equal((2, 2), (neither.ExitCode, both.ExitCode));
        Assert.Equal("peftops: report: expected exactly one of --gate-dir DIR and --compare-dir DIR", neither.Stderr.Trim());
        Assert.Equal(neither.Stderr, both.Stderr);
    }

    [Fact]
    public void The_builds_Compare_target_calls_only_commands_and_options_peftops_defines()
    {
        var cake = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "build", "build.cake"));
        var start = cake.IndexOf("Task(\"Compare\")", StringComparison.Ordinal);
        Assert.True(start >= 0, "build/build.cake has no Compare target");
        var next = cake.IndexOf("\nTask(", start + 1, StringComparison.Ordinal);
        var body = cake[start..(next >= 0 ? next : cake.IndexOf("\nRunTarget(", start, StringComparison.Ordinal))];
        var root = PeftOpsCli.CreateRoot();
        var compare = root.Subcommands.Single(c => c.Name == "compare");
        var report = root.Subcommands.Single(c => c.Name == "report");

        Assert.Contains("WithDevice(\"compare\", $\"adapters/{name}\", \"--out\", PathOf(name, \"compare\"))", body, StringComparison.Ordinal);
        Assert.Contains("Peftops(\"report\", name, \"--compare-dir\", PathOf(name, \"compare\"))", body, StringComparison.Ordinal);
        Assert.Equal("artifacts/tiny/compare", new RunLayout("tiny").Compare);
        var options = System.Text.RegularExpressions.Regex.Matches(body, "\"(--[a-z-]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["--out", "--compare-dir"], options);
        Assert.Contains(compare.Options, o => o.Name == "--device");   // what WithDevice adds
        Assert.All(options, o => Assert.True(compare.Options.Concat(report.Options).Any(x => x.Name == o), $"peftops compare/report has no option {o}"));
        Assert.Contains(compare.Options, o => o.Name == "--variant");
    }
}
