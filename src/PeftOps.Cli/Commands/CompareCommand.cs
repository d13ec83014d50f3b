using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Training.Comparing;
using PeftOps.Training.Trainer;
using Spectre.Console;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops compare ADAPTER_DIR --out DIR [--variant NAME=key=value,key=value]... [--device D]</c>: exit 0 when a
/// variant passes its gate, else 1 (a gate failed) or 3 (every gate inconclusive-neutral); 2 on a bad variant, before any training.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml (its compare.variants)." };
        var output = new Option<string>("--out") { Description = "DIR: receives NAME/{run,eval,gate} per variant, compare.json and compare.md; a rerun keeps finished variants.", Required = true };
        var variants = new Option<string[]>("--variant")
        {
            Description = "A variant NAME=key=value,key=value (--set overrides: lora-r2=method.r=2,method.alpha=4). Repeatable; after the spec's compare.variants.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("compare", "Train, evaluate and gate variants of a spec (methods, ranks, modules) against the base model; write a comparison.")
        {
            directory, output, variants, device,
        };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() =>
        {
            var adapterDir = parse.GetValue(directory)!;
            var all = SpecVariants.Load(adapterDir, parse.GetValue(variants) ?? []);
            var options = new CompareOptions(parse.GetValue(output)!, parse.GetValue(device), Git.HeadCommit(all[0].Spec.Directory));
            var report = CompareRecipe.Run(all, options, () => new TrainProgress(AnsiConsole.Console, !Console.IsOutputRedirected), Console.Out, ct);
            Console.WriteLine(report.LightestPassing is { } lightest
                ? $"lightest passing variant: {lightest}"
                : "no variant passes the gate");
            Console.WriteLine($"wrote {Path.Combine(options.OutDir, "compare.md")}");
            return report.ExitCode switch
            {
                0 => ExitCodes.Success,
                1 => ExitCodes.GateFailed,
                _ => ExitCodes.GateInconclusiveNeutral,
            };
        }));
        return command;
    }
}
