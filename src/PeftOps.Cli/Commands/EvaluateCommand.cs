using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Training.Evaluating;

namespace PeftOps.Cli.Commands;

/// <summary><c>peftops evaluate ADAPTER_DIR --adapter PEFT_DIR --out EVAL_DIR [--suite NAME=PATH]... [--device cpu|cuda] [--dtype float32|bf16] [--labels FILE]</c></summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml." };
        var adapter = new Option<string>("--adapter") { Description = "The trained adapter (PEFT format).", Required = true };
        var output = new Option<string>("--out") { Description = "EVAL_DIR: receives eval.json.", Required = true };
        var suites = new Option<string[]>("--suite") { Description = "An extra non-target suite NAME=PATH (kind from the file: .tsv pairs are embedding-similarity, else classification).", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var dtype = CommonOptions.Dtype();
        var set = CommonOptions.Set();
        var labels = CommonOptions.Labels();
        var command = new Command("evaluate", "Evaluate base and adapted model on the spec's target and non-target suites.") { directory, adapter, output, suites, device, dtype, set, labels };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!, parse.GetValue(set) ?? []);
            var extra = (parse.GetValue(suites) ?? []).Select(ParseSuite).ToList();
            var adapterDir = parse.GetValue(adapter)!;
            if (!Directory.Exists(adapterDir))
                throw new InputException($"--adapter {adapterDir}: no such folder (expected a PEFT adapter folder)");
            var report = EvaluateRecipe.Run(spec, adapterDir, extra, parse.GetValue(device), Git.HeadCommit(spec.Directory), parse.GetValue(dtype), parse.GetValue(labels), ct);
            var outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            EvaluationReportJson.Write(Path.Combine(outDir, "eval.json"), report);
            foreach (var suite in report.Suites)
            {
                var metrics = string.Join(", ", suite.Adapted.Metrics.Select(m => $"{m.Key} {suite.Base.Metrics[m.Key]:F4} -> {m.Value:F4}"));
                Console.WriteLine($"  {suite.Name} ({suite.Role}): {metrics}");
            }
            Console.WriteLine($"wrote {Path.Combine(outDir, "eval.json")}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static SuiteSpec ParseSuite(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == value.Length - 1)
            throw new InputException($"--suite {value}: expected NAME=PATH");
        var path = Path.GetFullPath(value[(eq + 1)..]);
        if (!File.Exists(path))
            throw new InputException($"--suite {value}: {path} not found");
        var kind = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? SuiteKind.EmbeddingSimilarity : SuiteKind.Classification;
        return new SuiteSpec { Name = value[..eq], Data = path, Kind = kind };
    }
}
