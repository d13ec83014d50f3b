using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Training.Benchmarking;
using static TorchSharp.torch;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops bench [--device cpu|cuda] [--shapes 32x32,256x64] [--steps N] [--warmup N] [--scaling|--no-scaling]
/// [--examples N] [--json FILE]</c>: training step time against a plain TorchSharp loop doing the same arithmetic,
/// prediction throughput and latency (base, unmerged, merged), and how step time and memory grow with batch,
/// sequence length and rank. Medians after warm-up; all in one process, so the ratios compare like for like.
/// <c>peftops bench --model DIR [--batch N] [--tokens N] [--rank N] [--gradient-checkpointing]</c> instead: LoRA steps on
/// a decoder checkpoint, with load time, step time and the peak-memory account.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (default cpu).", DefaultValueFactory = _ => "cpu" };
        var shapes = new Option<string>("--shapes") { Description = "Training batch shapes, BATCHxTOKENS, comma-separated (default 32x32,256x64).", DefaultValueFactory = _ => "32x32,256x64" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per measurement, after warm-up (default 10).", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (default 3).", DefaultValueFactory = _ => 3 };
        var scaling = new Option<bool>("--scaling") { Description = "Also print the sizing table: batch, tokens and rank (default on; --scaling false skips it).", DefaultValueFactory = _ => true };
        var examples = new Option<int>("--examples") { Description = "Texts for the prediction figures (default 512; 0 skips them).", DefaultValueFactory = _ => 512 };
        var json = new Option<string>("--json") { Description = "Also write every figure to this JSON file." };
        var model = new Option<string>("--model") { Description = "Instead: LoRA fine-tuning steps on this decoder checkpoint folder (e.g. one `model synth` wrote): load, memory, step time." };
        var batch = new Option<int>("--batch") { Description = "With --model: sequences per step (default 1).", DefaultValueFactory = _ => 1 };
        var tokens = new Option<int>("--tokens") { Description = "With --model: tokens per sequence (default 256).", DefaultValueFactory = _ => 256 };
        var rank = new Option<int>("--rank") { Description = "With --model: LoRA rank on every projection (default 16).", DefaultValueFactory = _ => 16 };
        var checkpointing = new Option<bool>("--gradient-checkpointing") { Description = "With --model: activation checkpointing of every decoder layer, as training.gradient_checkpointing: true trains (default off)." };
        var training = new Option<bool>("--training") { Description = "With --model: measure the LoRA steps (default on; --training false measures generation only).", DefaultValueFactory = _ => true };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "With --model: prompt length of the generation figures (default 128).", DefaultValueFactory = _ => 128 };
        var newTokens = new Option<int>("--new-tokens") { Description = "With --model: greedy steps of the generation figures (default 32; 0 skips generation).", DefaultValueFactory = _ => 32 };
        var generationRuns = new Option<int>("--generation-runs") { Description = "With --model: timed generations after one warm-up (default 3).", DefaultValueFactory = _ => 3 };
        var dtype = CommonOptions.Dtype();
        dtype.Description = "With --model: the dtype the base is held in, float32 (default) or bf16; bf16 also measures its logits against float32's.";
        var command = new Command("bench", "Measure training, prediction and memory on builtin:all-MiniLM-L6-v2 against a plain TorchSharp loop.")
        {
            device, shapes, steps, warmup, scaling, examples, json, model, batch, tokens, rank, checkpointing, training, promptTokens, newTokens, generationRuns, dtype,
        };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() => parse.GetValue(model) is { } checkpoint
            ? RunDecoder(checkpoint, parse.GetValue(device)!, BaseDtype.Parse(parse.GetValue(dtype)), parse.GetValue(batch), parse.GetValue(tokens), parse.GetValue(rank), parse.GetValue(checkpointing), parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(json),
                parse.GetValue(training), new GenerationRun(parse.GetValue(promptTokens), parse.GetValue(newTokens), parse.GetValue(generationRuns)), ct)
            : Run(
            parse.GetValue(device)!, ParseShapes(parse.GetValue(shapes)!), parse.GetValue(steps), parse.GetValue(warmup),
            parse.GetValue(scaling), parse.GetValue(examples), parse.GetValue(json), ct)));
        return command;
    }

    private static int Run(string device, IReadOnlyList<(int Batch, int Tokens)> shapes, int steps, int warmup, bool scaling, int examples, string? jsonPath, CancellationToken ct)
    {
        if (steps < 1)
            throw new InputException($"--steps must be at least 1 (was {steps})");
        if (warmup < 0)
            throw new InputException($"--warmup must be 0 or more (was {warmup})");
        if (examples is < 0 or > 100_000)
            throw new InputException($"--examples must be 0 to 100000 (was {examples})");
        var output = jsonPath is null ? null : ForwardCommand.OutputFile(jsonPath, "--json");
        var settings = new BenchSettings { Device = device, Steps = steps, Warmup = warmup, CancellationToken = ct };
        var ic = CultureInfo.InvariantCulture;
        Console.WriteLine($"peftops bench: {StepBench.BaseModel}, LoRA r {settings.Rank} (alpha {2 * settings.Rank}, dropout {settings.LoraDropout}) on query and value of every layer, "
            + $"classifier trained; AdamW, clipping 1.0; device {device}, {Environment.ProcessorCount} cores, {TorchSharp.torch.get_num_threads()} torch threads; "
            + $"medians of {steps} steps after {warmup} warm-up; TorchSharp {TorchRuntime.TorchSharpVersion}, libtorch {TorchRuntime.LibTorchVersion} ({TorchRuntime.Source})");

        Console.WriteLine();
        Console.WriteLine("training step            peftops ms   plain loop ms   ratio   fused loop ms   ratio   matmul floor ms   ratio   tokens/s   max |logit diff| plain, fused   peak RSS MB");
        var comparisons = new List<StepComparison>();
        foreach (var (batch, tokens) in shapes)
        {
            var c = StepBench.Compare(new BenchShape(batch, tokens, settings.Rank), settings);
            comparisons.Add(c);
            Console.WriteLine(string.Create(ic, $"{c.Shape.Batch,5} x {c.Shape.Tokens,-5}          {c.OursMs,10:F1}   {c.PlainMs,13:F1}   {c.Ratio,5:F2}   {c.FusedMs,13:F1}   {c.FusedRatio,5:F2}   {c.FloorMs,15:F1}   {c.FloorRatio,5:F2}   {c.TokensPerSecond,8:F0}   {c.MaxLogitDifference,18:E1}, {c.FusedMaxLogitDifference,7:E1}   {c.PeakBytes / 1e6,11:F0}"));
        }

        var inference = new List<InferenceRow>();
        if (examples > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"prediction ({examples} texts x 32 tokens, batch 64)   examples/s   time(all)/time(quarter)   latency ms/example (batch 1)");
            foreach (var row in StepBench.Inference(settings, examples, 32))
            {
                inference.Add(row);
                Console.WriteLine(string.Create(ic, $"  {row.Mode,-10}                              {row.ExamplesPerSecond,10:F0}   {row.LinearityRatio,23:F2}   {row.LatencyMs,28:F2}"));
            }
        }

        var sizing = new List<ScalingRow>();
        if (scaling)
        {
            Console.WriteLine();
            Console.WriteLine("sizing (peftops step)    ms/step   tokens/s   trainable params   peak RSS MB");
            BenchShape[] grid =
            [
                new(8, 32, 8), new(32, 32, 8), new(128, 32, 8),
                new(32, 16, 8), new(32, 64, 8), new(32, 128, 8),
                new(32, 32, 4), new(32, 32, 16), new(32, 32, 64),
            ];
            foreach (var shape in grid)
            {
                var row = StepBench.Scale(shape, settings);
                sizing.Add(row);
                Console.WriteLine(string.Create(ic, $"  {row.Shape,-20}  {row.Ms,8:F1}   {row.TokensPerSecond,8:F0}   {row.TrainableParameters,16:N0}   {row.PeakBytes / 1e6,11:F0}"));
            }
        }

        var peak = comparisons.Select(c => c.PeakBytes).Concat(sizing.Select(r => r.PeakBytes)).DefaultIfEmpty(0).Max();
        Console.WriteLine(string.Create(ic, $"\nlargest peak resident memory of one measurement: {peak / 1e6:F0} MB"));
        if (output is not null)
        {
            var document = new { model = StepBench.BaseModel, device, steps, warmup, runtime = Runtime(), training = comparisons, prediction = inference, sizing };
            AtomicFile.WriteAllText(output, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// What ran the measurement, in both JSON documents: comparisons with another stack
    /// (<c>benchmarks/speed/side-by-side.sh</c> against Hugging Face PEFT) print it beside the figures.
    /// </summary>
    private static BenchRuntime Runtime() =>
        new(TorchRuntime.TorchSharpVersion, TorchRuntime.LibTorchVersion, TorchRuntime.Source, get_num_threads(), Environment.ProcessorCount);

    private sealed record BenchRuntime(string Torchsharp, string Libtorch, string LibtorchSource, int TorchThreads, int Cores);

    private sealed record GenerationRun(int PromptTokens, int NewTokens, int Runs);

    private static int RunDecoder(string checkpoint, string device, ScalarType dtype, int batch, int tokens, int rank, bool checkpointing, int steps, int warmup, string? jsonPath,
        bool training, GenerationRun generation, CancellationToken ct)
    {
        if (batch is < 1 or > 4096 || tokens is < 2 or > 131_072 || rank is < 1 or > 4096)
            throw new InputException($"--batch {batch} --tokens {tokens} --rank {rank}: expected batch 1-4096, tokens 2-131072, rank 1-4096");
        if (steps < 1 || warmup < 0)
            throw new InputException($"--steps must be at least 1 and --warmup 0 or more (were {steps}, {warmup})");
        if (generation.PromptTokens < 1 || generation.NewTokens < 0 || generation.Runs < 1)
            throw new InputException($"--prompt-tokens must be at least 1, --new-tokens 0 or more and --generation-runs at least 1 (were {generation.PromptTokens}, {generation.NewTokens}, {generation.Runs})");
        var output = jsonPath is null ? null : ForwardCommand.OutputFile(jsonPath, "--json");
        var document = new System.Text.Json.Nodes.JsonObject();
        var options = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        if (training)
        {
            document = JsonSerializer.SerializeToNode(Train(checkpoint, device, dtype, batch, tokens, rank, checkpointing, steps, warmup, ct), options)!.AsObject();
        }
        document["base_dtype"] = BaseDtype.Name(dtype);
        document["runtime"] = JsonSerializer.SerializeToNode(Runtime(), options);
        if (dtype != ScalarType.Float32)
        {
            var d = DtypeBench.Run(checkpoint, batch, tokens, dtype, new BenchSettings { Device = device, CancellationToken = ct });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"logits vs float32   max |diff| {d.MaxAbsDiff:F4} (max |logit| {d.MaxAbsLogit:F2}), argmax agreement {d.ArgmaxAgreement:P1} over {d.Positions} positions; weights {d.BaseBytes / 1e6:F0} MB vs {d.Float32Bytes / 1e6:F0} MB"));
            document["logits_vs_float32"] = JsonSerializer.SerializeToNode(d, options);
        }
        if (generation.NewTokens > 0)
        {
            var g = GenerationBench.Run(checkpoint, batch, generation.PromptTokens, generation.NewTokens, new BenchSettings { Device = device, Steps = generation.Runs, Warmup = 1, Dtype = dtype, CancellationToken = ct });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generate (greedy)   batch {g.Batch}, prompt {g.PromptTokens} tokens, {g.NewTokens} new: prefill {g.PrefillTokensPerSecond:F1} tokens/s, decode {g.DecodeTokensPerSecond:F2} tokens/s, peak resident {g.PeakResident / 1e6:F0} MB ({g.Threads} torch threads, median of {g.Runs} after 1 warm-up)"));
            document["generation"] = JsonSerializer.SerializeToNode(g, options);
        }
        if (output is not null)
            AtomicFile.WriteAllText(output, document.ToJsonString(options));
        return ExitCodes.Success;
    }

    private static DecoderFigures Train(string checkpoint, string device, ScalarType dtype, int batch, int tokens, int rank, bool checkpointing, int steps, int warmup, CancellationToken ct)
    {
        var f = DecoderBench.Run(checkpoint, batch, tokens, rank, new BenchSettings { Device = device, Steps = steps, Warmup = warmup, GradientCheckpointing = checkpointing, Dtype = dtype, CancellationToken = ct });
        var ic = CultureInfo.InvariantCulture;
        const double MB = 1e6;
        Console.WriteLine(string.Create(ic, $"peftops bench --model {checkpoint}: {f.BaseParameters:N0} base parameters ({f.WeightBytes / MB:F0} MB of {BaseDtype.Name(dtype)} weights), device {device}, {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(ic, $"load                {f.LoadSeconds,8:F1} s    resident {f.ResidentBeforeLoad / MB:F0} MB -> {f.ResidentAfterLoad / MB:F0} MB (+{(f.ResidentAfterLoad - f.ResidentBeforeLoad) / MB:F0} MB for {f.WeightBytes / MB:F0} MB of weights)"));
        Console.WriteLine(string.Create(ic, $"LoRA r {f.Rank} on q,k,v,o,gate,up,down: {f.AdapterParameters:N0} trainable parameters; batch {f.Batch} x {f.Tokens} tokens, median of {steps} steps after {warmup}; activation checkpointing {(f.GradientCheckpointing ? "on" : "off")}"));
        Console.WriteLine(string.Create(ic, $"step                {f.StepMs,8:F0} ms   {f.TokensPerSecond:F0} tokens/s; its matrix products alone {f.FloorMs:F0} ms ({f.FloorGflop:F0} GFLOP), the step {f.StepMs / f.FloorMs:F2}x that floor"));
        Console.WriteLine(string.Create(ic, $"peak resident       {f.PeakResident / MB,8:F0} MB (high-water mark over the steps) = loaded model {f.ResidentAfterLoad / MB:F0} + adapter, gradients and AdamW state {f.AdapterStateBytes / MB:F0} + activations and workspace {f.ActivationBytes / MB:F0}"));
        Console.WriteLine(string.Create(ic, $"saved adapter       {f.AdapterFileBytes / MB,8:F1} MB (adapter_config.json and adapter_model.safetensors only)"));
        return f;
    }

    internal static IReadOnlyList<(int Batch, int Tokens)> ParseShapes(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var pieces = part.Split('x', 'X');
            return pieces.Length == 2 && int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b is >= 1 and <= 4096
                && int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t is >= 3 and <= 512
                ? (b, t)
                : throw new InputException($"--shapes {text}: '{part}' is not BATCHxTOKENS (batch 1-4096, tokens 3-512, e.g. 32x32)");
        })];
}
