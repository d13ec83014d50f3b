using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Runtime;
using PeftOps.Training.DataChecks;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops data check ADAPTER_DIR [--out DIR] [--device cpu|cuda] [--baseline PULLED_DIR] [--set key=value]...</c>: writes DIR/data.json and
/// DIR/data.md (default DIR: artifacts/data-checks/ADAPTER, <see cref="RunLayout.DataChecks"/>, outside the run folder that train replaces). Exit 0 whatever it finds (the gate judges the findings), 2 on bad input.
/// </summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml." };
        var output = new Option<string>("--out") { Description = "DIR: receives data.json and data.md (default artifacts/data-checks/ADAPTER)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto (for the base model's embeddings).", DefaultValueFactory = _ => "cpu" };
        var baseline = new Option<string>("--baseline") { Description = "A baseline pulled with registry pull (its manifest.json): data.json then carries the data diff against that version's commit." };
        var set = CommonOptions.Set();
        var check = new Command("check", "Check the adapter's data before training: leakage, duplicates, conflicting labels, label errors.") { directory, output, device, baseline, set };
        check.SetAction((parse, ct) => PeftOpsCli.Guard(async () =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!, parse.GetValue(set) ?? []);
            var outDir = parse.GetValue(output) ?? new RunLayout(spec.Name).DataChecks;
            var baselineData = parse.GetValue(baseline) is { } dir ? await BaselineDataOf.ReadAsync(dir, spec, ct).ConfigureAwait(false) : null;
            var report = DataCheckRecipe.Run(spec, TorchRuntime.ResolveDevice(parse.GetValue(device)), baselineData, Console.WriteLine, ct);
            DataCheckRecipe.Write(report, outDir);
            foreach (var c in report.Checks)
                Console.WriteLine(c.Status == DataCheckSummary.NotRun ? $"{c.Name}: not run ({c.Reason})" : $"{c.Name}: {c.Count}");
            if (report.Diff is { } diff)
                Console.WriteLine(diff.Status == DataDiff.NotRun ? $"data diff: not run ({diff.Reason})"
                    : $"data diff against {diff.BaselineVersion}: {diff.Files.Sum(f => f.Added)} added, {diff.Files.Sum(f => f.Removed)} removed, {diff.Files.Sum(f => f.Relabelled)} relabelled");
            Console.WriteLine($"wrote {Path.Combine(outDir, DataReport.FileName)}");
            return ExitCodes.Success;
        }));
        var command = new Command("data", "Check an adapter's data.") { check };
        return command;
    }
}
