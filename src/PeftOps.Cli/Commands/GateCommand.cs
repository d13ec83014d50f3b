using PeftOps.Contracts;
using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Evaluation.Reporting;
using PeftOps.Registry;

namespace PeftOps.Cli.Commands;

/// <summary><c>peftops gate ADAPTER_DIR --candidate EVAL.json [--baseline EVAL.json] [--data DATA.json] --out DIR</c>: exit 0 pass, 1 fail, 3 inconclusive-neutral.</summary>
internal static class GateCommand
{
    /// <summary>
    /// The registered version of a baseline pulled with <c>registry pull</c>: the <c>manifest.json</c> beside its eval.json.
    /// </summary>
    private static string? BaselineVersion(string? baselineEval)
    {
        if (string.IsNullOrWhiteSpace(baselineEval))
            return null;
        var manifest = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(baselineEval))!, Manifest.FileName);
        return File.Exists(manifest) ? ManifestJson.Parse(File.ReadAllBytes(manifest), manifest).Version : null;
    }

    /// <summary>
    /// --data as given, else the data check's <c>data.json</c> where <see cref="RunLayout"/> puts it
    /// (<c>artifacts/data-checks/NAME/data.json</c>) when the candidate's eval.json is a run folder's
    /// (<c>artifacts/NAME/eval/eval.json</c>) and that file exists, else none.
    /// </summary>
    private static string? DataJson(string? given, string candidateEval, string adapter)
    {
        if (given is not null)
            return given;
        if (string.IsNullOrWhiteSpace(candidateEval))
            return null; // the gate refuses the empty --candidate itself
        var layout = new RunLayout(adapter);
        var full = Path.GetFullPath(candidateEval).Replace('\\', '/');
        if (!full.EndsWith("/" + layout.EvalJson, StringComparison.Ordinal))
            return null;
        var root = full[..^layout.EvalJson.Length];
        var data = Path.Combine(root, layout.DataJson);
        return File.Exists(data) ? data : null;
    }

    public static Command Create()
    {
        var directory = new Argument<string>("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml (its gate policy)." };
        var candidate = new Option<string>("--candidate") { Description = "The candidate's eval.json.", Required = true };
        var baseline = new Option<string>("--baseline") { Description = "The production version's eval.json; without it the base model is the baseline." };
        var output = new Option<string>("--out") { Description = "DIR: receives report.md, gate.json and the charts.", Required = true };
        var data = new Option<string>("--data") { Description = "The data.json of peftops data check: the spec's data_checks rules are judged on it (default: artifacts/data-checks/NAME/data.json, when the candidate is artifacts/NAME/eval/eval.json and it is there)." };
        var command = new Command("gate", "Compare the candidate with the baseline under the spec's gate policy; write the report.") { directory, candidate, baseline, output, data };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!);
            var baselinePath = parse.GetValue(baseline);
            var dataPath = DataJson(parse.GetValue(data), parse.GetValue(candidate)!, spec.Name);
            var result = GateRunner.Run(spec.Gate, spec.Name, parse.GetValue(candidate)!, baselinePath, parse.GetValue(output)!, ct, BaselineVersion(baselinePath),
                dataPath is null ? null : new DataInput(dataPath, spec.DataChecks));
            Console.WriteLine(result.Headline);
            Console.WriteLine($"wrote {Path.Combine(parse.GetValue(output)!, GateRunner.ReportFile)}");
            return result.ExitCode;
        }));
        return command;
    }
}
