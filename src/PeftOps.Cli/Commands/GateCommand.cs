using PeftOps.Contracts;
using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Evaluation.Reporting;
using PeftOps.Registry;

namespace PeftOps.Cli.Commands;

/// <summary><c>peftops gate ADAPTER_DIR --candidate EVAL.json [--baseline EVAL.json] --out DIR</c>: exit 0 pass, 1 fail, 3 inconclusive-neutral.</summary>
internal static class GateCommand
{
    /// <summary>
    /// The registered version of a baseline pulled with <c>registry pull</c>: the <c>manifest.json</c> beside its eval.json.
    /// </summary>
    private static string? BaselineVersion(string? baselineEval)
    {
        if (baselineEval is null)
            return null;
        var manifest = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(baselineEval))!, Manifest.FileName);
        return File.Exists(manifest) ? ManifestJson.Parse(File.ReadAllBytes(manifest), manifest).Version : null;
    }

    public static Command Create()
    {
        var directory = new Argument<string>("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml (its gate policy)." };
        var candidate = new Option<string>("--candidate") { Description = "The candidate's eval.json.", Required = true };
        var baseline = new Option<string>("--baseline") { Description = "The production version's eval.json; without it the base model is the baseline." };
        var output = new Option<string>("--out") { Description = "DIR: receives report.md, gate.json and the charts.", Required = true };
        var command = new Command("gate", "Compare the candidate with the baseline under the spec's gate policy; write the report.") { directory, candidate, baseline, output };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!);
            var baselinePath = parse.GetValue(baseline);
            var result = GateRunner.Run(spec.Gate, spec.Name, parse.GetValue(candidate)!, baselinePath, parse.GetValue(output)!, ct, BaselineVersion(baselinePath));
            Console.WriteLine(result.Headline);
            Console.WriteLine($"wrote {Path.Combine(parse.GetValue(output)!, GateRunner.ReportFile)}");
            return result.ExitCode;
        }));
        return command;
    }
}
