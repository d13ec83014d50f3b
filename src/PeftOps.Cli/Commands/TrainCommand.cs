using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Training.Trainer;
using Spectre.Console;

namespace PeftOps.Cli.Commands;

/// <summary><c>peftops train ADAPTER_DIR --out RUN_DIR [--device cpu|cuda] [--dtype float32|bf16] [--set key=value]...</c></summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml." };
        var output = new Option<string>("--out") { Description = "RUN_DIR: receives adapter/ (PEFT format), metrics.jsonl and train.json.", Required = true };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var dtype = CommonOptions.Dtype();
        var set = CommonOptions.Set();
        var command = new Command("train", "Train an adapter from its spec; resumes an interrupted run in the same RUN_DIR.") { directory, output, device, dtype, set };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!, parse.GetValue(set) ?? []);
            using var progress = new TrainProgress(AnsiConsole.Console, !Console.IsOutputRedirected);
            TrainRecipe.Run(spec, new TrainOptions(parse.GetValue(output)!, parse.GetValue(device), Dtype: parse.GetValue(dtype)), progress, ct);
            return ExitCodes.Success;
        }));
        return command;
    }
}
