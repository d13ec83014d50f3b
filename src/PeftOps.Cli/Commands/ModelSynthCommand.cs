using System.CommandLine;
using System.Diagnostics;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops model synth SHAPE --out DIR [--dtype float32|bfloat16|float16] [--layers N] [--seed N]</c>: a decoder
/// checkpoint with a real model's published shapes and random weights (<see cref="SyntheticCheckpoint"/>), to
/// measure loading, memory and training at real size without downloading anything.
/// </summary>
internal static class ModelSynthCommand
{
    public static Command Create()
    {
        var shape = new Argument<string>("SHAPE") { Description = $"One of: {string.Join(", ", SyntheticCheckpoint.Shapes.Keys)}." };
        var output = new Option<string>("--out") { Description = "The checkpoint folder to write (must not exist).", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "Weight dtype: float32, bfloat16 or float16 (default float32).", DefaultValueFactory = _ => "float32" };
        var layers = new Option<int?>("--layers") { Description = "Fewer decoder layers than the real model, same widths (default: all)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the random weights (default 42).", DefaultValueFactory = _ => 42 };
        var command = new Command("synth", "Write a decoder checkpoint with a real model's shapes and random weights.") { shape, output, dtype, layers, seed };
        command.SetAction(parse => PeftOpsCli.Guard(() =>
        {
            var name = parse.GetValue(shape)!;
            if (!SyntheticCheckpoint.Shapes.TryGetValue(name, out var decoder))
                throw new InputException($"SHAPE {name}: unknown (expected one of {string.Join(", ", SyntheticCheckpoint.Shapes.Keys)})");
            if (string.IsNullOrWhiteSpace(parse.GetValue(output)))
                throw new InputException($"--out '{parse.GetValue(output)}': empty (expected the path of a new folder)");
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            if (Directory.Exists(folder) || File.Exists(folder))
                throw new InputException($"--out {parse.GetValue(output)}: already exists (expected a new folder)");
            var type = parse.GetValue(dtype) switch
            {
                "float32" => ScalarType.Float32,
                "bfloat16" => ScalarType.BFloat16,
                "float16" => ScalarType.Float16,
                var other => throw new InputException($"--dtype {other}: expected float32, bfloat16 or float16"),
            };
            var clock = Stopwatch.StartNew();
            var partial = folder + ".partial";
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
            var parameters = SyntheticCheckpoint.Write(partial, decoder, type, parse.GetValue(seed), parse.GetValue(layers));
            Directory.Move(partial, folder);
            Console.WriteLine($"{folder}: {decoder.ModelType} {name}{(parse.GetValue(layers) is { } n ? $" ({n} layers)" : "")}, {parameters:N0} parameters, {type}, written in {clock.Elapsed.TotalSeconds:F1} s");
            return ExitCodes.Success;
        }));
        return command;
    }
}
