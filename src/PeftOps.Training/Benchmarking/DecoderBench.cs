using System.Diagnostics;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using PeftOps.Training.Trainer;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Training.Benchmarking;

/// <summary>
/// LoRA supervised fine-tuning steps on a decoder checkpoint (a real one, or one <c>model synth</c> wrote with a real
/// model's shapes): load time and resident memory, step time and tokens/s, and where the peak memory goes
/// (weights, the adapter's parameters, gradients and AdamW state, activations), with or without activation
/// checkpointing. The peak is the kernel's high-water mark over the steps (<see cref="MemoryProbe"/>), so the
/// activations of the backward pass count although they are freed before the step returns. Only the adapter is saved.
/// </summary>
public static class DecoderBench
{
    private static readonly string[] AllProjections = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public static DecoderFigures Run(string checkpoint, int batch, int tokens, int rank, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var device = TorchRuntime.ResolveDevice(settings.Device);
        var before = Resident();
        var clock = Stopwatch.StartNew();
        using var model = ModelLoader.Load(checkpoint, new ModelLoadOptions { Device = device, Seed = settings.Seed, Dtype = settings.Dtype });
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var afterLoad = Resident();
        var llama = model.Llama ?? throw new Contracts.InputException($"{checkpoint}: bench --model needs a decoder (this is {model.Architecture})");
        var weightBytes = model.ParameterCount * (settings.Dtype == ScalarType.Float32 ? 4 : 2);

        var peft = new PeftModel(model);
        peft.AddAdapter(TrainRecipe.AdapterName, new PeftAdapterConfig
        {
            R = rank,
            LoraAlpha = 2 * rank,
            TargetModules = AllProjections,
            TaskType = "CAUSAL_LM",
        }, new Generator((ulong)settings.Seed));
        var parameters = peft.TrainableParameters().Select(p => p.Parameter).ToList();
        var adapterParameters = parameters.Sum(p => p.numel());
        using var optimizer = optim.AdamW(parameters, 1e-4, 0.9, 0.999, 1e-8, 0.0);
        var step = new TrainStep(model, parameters, optimizer, maxGradNorm: 1.0, accumulation: 1);
        model.GradientCheckpointing = settings.GradientCheckpointing;
        var rng = new Random((int)settings.Seed);
        var vocabulary = llama.VocabSize;
        var rows = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, tokens).Select(_ => (long)rng.Next(vocabulary)).ToArray()).ToList();

        model.Module.train();
        var times = new List<double>();
        var memory = new MemoryProbe();
        memory.Sample();
        for (var i = 0; i < settings.Warmup + settings.Steps; i++)
        {
            settings.CancellationToken.ThrowIfCancellationRequested();
            var t = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                using var b = TextBatch.FromRows(rows, rows, device);
                var loss = step.Backward(b);
                step.Apply(1e-4);
                loss.item<float>();
            }
            if (i >= settings.Warmup)
                times.Add(t.Elapsed.TotalMilliseconds);
            memory.Sample();
        }
        var peak = memory.PeakBytes;
        var floor = MatmulFloor.Decoder(llama, batch, tokens);
        var floorMs = MatmulFloor.Milliseconds(floor, device, settings.Dtype, settings.Warmup, settings.Steps, settings.CancellationToken);

        var folder = Directory.CreateTempSubdirectory("peftops-bench-").FullName;
        try
        {
            peft.SaveAdapter(folder);
            var adapterBytes = Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
            var ms = StepBench.Median(times);
            // fp32 adapter: the parameter, its gradient and AdamW's two moments
            var adapterStateBytes = adapterParameters * 4 * 4;
            return new DecoderFigures(model.Source.Folder, model.ParameterCount - adapterParameters, weightBytes, loadSeconds, before, afterLoad,
                batch, tokens, rank, settings.GradientCheckpointing, adapterParameters, ms, batch * tokens / (ms / 1000), peak, adapterStateBytes,
                Math.Max(0, peak - afterLoad - adapterStateBytes), adapterBytes)
            {
                FloorMs = floorMs,
                FloorGflop = MatmulFloor.Gflop(floor),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long Resident()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}

/// <param name="ActivationBytes">peak resident memory beyond the loaded model and the adapter's state: activations and workspace.</param>
public sealed record DecoderFigures(string Checkpoint, long BaseParameters, long WeightBytes, double LoadSeconds, long ResidentBeforeLoad, long ResidentAfterLoad,
    int Batch, int Tokens, int Rank, bool GradientCheckpointing, long AdapterParameters, double StepMs, double TokensPerSecond, long PeakResident, long AdapterStateBytes,
    long ActivationBytes, long AdapterFileBytes)
{
    /// <summary>The step's unavoidable matrix products alone (<see cref="MatmulFloor"/>), ms: no step of this arithmetic takes less here.</summary>
    public double FloorMs { get; init; }

    /// <summary>The floor's work, GFLOP.</summary>
    public double FloorGflop { get; init; }
}
