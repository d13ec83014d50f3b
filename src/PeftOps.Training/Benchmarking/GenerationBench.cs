using System.Diagnostics;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Generation;
using PeftOps.Modeling.Runtime;
using static TorchSharp.torch;
using Generator = PeftOps.Modeling.Generation.Generator;

namespace PeftOps.Training.Benchmarking;

/// <summary>
/// Greedy generation on a decoder checkpoint: <paramref name="batch"/> random prompts of a fixed length, then a fixed
/// number of steps. Prefill is the time from the call to the first step's logits (the prompts' forward pass into the
/// KV cache); decode is the time from the first step's logits to the last's, each step one token per row. Medians
/// over the timed runs; peak memory is the kernel's high-water mark over all of them (<see cref="MemoryProbe"/>).
/// benchmarks/generation/hf_generate.py measures transformers' <c>generate</c> the same way.
/// </summary>
public static class GenerationBench
{
    public static GenerationFigures Run(string checkpoint, int batch, int promptTokens, int newTokens, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var device = TorchRuntime.ResolveDevice(settings.Device);
        using var model = ModelLoader.Load(checkpoint, new ModelLoadOptions { Device = device, Seed = settings.Seed, Dtype = settings.Dtype });
        var llama = model.Llama ?? throw new Contracts.InputException($"{checkpoint}: bench --model needs a decoder (this is {model.Architecture})");
        var rng = new Random((int)settings.Seed);
        var prompts = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, promptTokens).Select(_ => rng.Next(llama.VocabSize)).ToArray()).ToList();
        var options = new GenerationOptions { MaxNewTokens = newTokens };

        var (prefill, decode) = (new List<double>(), new List<double>());
        var memory = new MemoryProbe();
        memory.Sample();
        for (var run = 0; run < settings.Warmup + settings.Steps; run++)
        {
            var (first, last, steps) = (0.0, 0.0, 0);
            var clock = Stopwatch.StartNew();
            var generator = new Generator(model)
            {
                StepLogits = (step, logits) =>
                {
                    logits[0, 0].to(ScalarType.Float32).item<float>(); // waits for the device
                    last = clock.Elapsed.TotalSeconds;
                    if (step == 0)
                        first = last;
                    steps++;
                },
            };
            generator.Generate(prompts, options, cancellationToken: settings.CancellationToken);
            memory.Sample();
            if (run < settings.Warmup)
                continue;
            prefill.Add(batch * promptTokens / first);
            if (steps > 1)
                decode.Add(batch * (steps - 1) / (last - first));
        }
        return new GenerationFigures(batch, promptTokens, newTokens, settings.Steps, StepBench.Median(prefill),
            decode.Count > 0 ? StepBench.Median(decode) : 0, memory.PeakBytes, get_num_threads());
    }
}

/// <param name="PrefillTokensPerSecond">prompt tokens per second of the prefill forward pass (median)</param>
/// <param name="DecodeTokensPerSecond">new tokens per second after the first (median), every row counted</param>
public sealed record GenerationFigures(int Batch, int PromptTokens, int NewTokens, int Runs, double PrefillTokensPerSecond, double DecodeTokensPerSecond,
    long PeakResident, int Threads);
