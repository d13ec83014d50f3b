using System.Diagnostics;
using System.Text.RegularExpressions;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using PeftOps.Training.Trainer;
using TorchSharp;
using static TorchSharp.torch;
using PeftOps.Inference;

namespace PeftOps.Training.Benchmarking;

/// <summary>
/// What <c>peftops bench</c> measures, on <c>builtin:all-MiniLM-L6-v2</c> with LoRA on query and value of every layer
/// and a new classifier (PEFT's SEQ_CLS default), AdamW and clipping as <c>train</c> runs them:
/// training steps side by side with <see cref="PlainLoraLoop"/>, plain and with fused attention (interleaved, medians
/// after warm-up), prediction
/// throughput and per-example latency for the base model, the unmerged and the merged adapter, and how step time
/// and memory grow with batch, sequence length and rank.
/// </summary>
public static partial class StepBench
{
    public const string BaseModel = ModelLoader.BuiltinMiniLm;
    private const int Labels = 8;
    private const double LearningRate = 1e-4;
    private const double WeightDecay = 0.01;
    private const double MaxGradNorm = 1.0;

    /// <summary>Our step, the plain loop and the fused loop on the same batch shape, interleaved step by step.</summary>
    public static StepComparison Compare(BenchShape shape, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var setup = Setup.Create(shape, settings);
        var (ids, mask, labels) = setup.Tensors();
        using var plain = setup.Plain(fusedAttention: false);
        using var fused = setup.Plain(fusedAttention: true);
        var parity = LossParity(setup, plain, ids, mask);
        var fusedParity = LossParity(setup, fused, ids, mask);
        setup.Model.Module.train();
        var ours = new List<double>();
        var theirs = new List<double>();
        var fusedTimes = new List<double>();
        var memory = new MemoryProbe();
        for (var i = 0; i < settings.Warmup + settings.Steps; i++)
        {
            settings.CancellationToken.ThrowIfCancellationRequested();
            var a = Time(() => setup.OurStep());
            var b = Time(() => plain.Step(ids, mask, labels, LearningRate).item<float>());
            var c = Time(() => fused.Step(ids, mask, labels, LearningRate).item<float>());
            memory.Sample();
            if (i < settings.Warmup)
                continue;
            ours.Add(a);
            theirs.Add(b);
            fusedTimes.Add(c);
        }
        var oursMs = Median(ours);
        var plainMs = Median(theirs);
        var fusedMs = Median(fusedTimes);
        var floor = MatmulFloor.Encoder(setup.Model.Bert!, shape.Batch, shape.Tokens);
        var floorMs = MatmulFloor.Milliseconds(floor, setup.Model.Device, ScalarType.Float32, settings.Warmup, settings.Steps, settings.CancellationToken);
        return new StepComparison(shape, oursMs, plainMs, oursMs / plainMs, shape.Batch * shape.Tokens / (oursMs / 1000), parity, memory.PeakBytes)
        {
            FusedMs = fusedMs,
            FusedRatio = oursMs / fusedMs,
            FusedMaxLogitDifference = fusedParity,
            FloorMs = floorMs,
            FloorRatio = oursMs / floorMs,
            FloorGflop = MatmulFloor.Gflop(floor),
        };
    }

    /// <summary>Our step alone at one shape and rank: the sizing table.</summary>
    public static ScalingRow Scale(BenchShape shape, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var setup = Setup.Create(shape, settings);
        setup.Model.Module.train();
        var memory = new MemoryProbe();
        var times = new List<double>();
        for (var i = 0; i < settings.Warmup + settings.Steps; i++)
        {
            settings.CancellationToken.ThrowIfCancellationRequested();
            var ms = Time(() => setup.OurStep());
            memory.Sample();
            if (i >= settings.Warmup)
                times.Add(ms);
        }
        var ms50 = Median(times);
        return new ScalingRow(shape, ms50, shape.Batch * shape.Tokens / (ms50 / 1000), setup.Peft.ParameterCounts().Trainable, memory.PeakBytes);
    }

    /// <summary>Batched prediction throughput and single-example latency: base model, adapter unmerged, adapter merged.</summary>
    public static IReadOnlyList<InferenceRow> Inference(BenchSettings settings, int examples, int tokens)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var setup = Setup.Create(new BenchShape(64, tokens, settings.Rank), settings);
        var texts = SyntheticTexts(setup.Model, examples, tokens, settings.Seed);
        var single = texts.Take(settings.LatencyExamples).ToList();
        var rows = new List<InferenceRow>();
        foreach (var mode in new[] { "base", "unmerged", "merged" })
        {
            switch (mode)
            {
                case "base": setup.Peft.SetAdapter(null); break;
                case "unmerged": setup.Peft.SetAdapter(TrainRecipe.AdapterName); break;
                default: setup.Peft.Merge(); break;
            }
            var ct = settings.CancellationToken;
            Predictor.Probabilities(setup.Model, texts.Take(64).ToList(), tokens, cancellationToken: ct); // warm-up
            var full = Time(() => Predictor.Probabilities(setup.Model, texts, tokens, cancellationToken: ct).Length);
            var quarter = Time(() => Predictor.Probabilities(setup.Model, texts.Take(examples / 4).ToList(), tokens, cancellationToken: ct).Length);
            var latencies = single.Select(t => Time(() => Predictor.Probabilities(setup.Model, [t], tokens, batchSize: 1, cancellationToken: ct).Length)).ToList();
            rows.Add(new InferenceRow(mode, examples, examples / (full / 1000), full / quarter, Median(latencies)));
        }
        setup.Peft.Unmerge();
        return rows;
    }

    /// <summary>
    /// The same batch through both in eval mode (no dropout): the largest difference between their logits. Near
    /// float precision when the two do the same arithmetic.
    /// </summary>
    private static double LossParity(Setup setup, PlainLoraLoop plain, Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        setup.Model.Module.eval();
        plain.Training = false;
        var ours = setup.Model.Logits(ids, mask);
        var theirs = plain.Logits(ids, mask);
        plain.Training = true;
        return (ours - theirs).abs().max().item<float>();
    }

    /// <summary>Texts of whole vocabulary words that the WordPiece tokenizer turns into exactly <paramref name="tokens"/> ids with [CLS] and [SEP].</summary>
    internal static List<string> SyntheticTexts(TransformerModel model, int count, int tokens, long seed)
    {
        var tokenizer = model.Tokenizer!;
        var words = tokenizer.Vocabulary.Where(w => w.Length >= 3 && WholeWord().IsMatch(w)).ToArray();
        var rng = new Random((int)seed);
        return Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, tokens - 2).Select(_ => words[rng.Next(words.Length)]))).ToList();
    }

    [GeneratedRegex("^[a-z]+$")]
    private static partial Regex WholeWord();

    private static double Time(Func<object> action)
    {
        var clock = Stopwatch.StartNew();
        GC.KeepAlive(action());
        return clock.Elapsed.TotalMilliseconds;
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The model with its adapter and optimizer, and the batch our step takes through <c>train</c>'s data path.</summary>
    private sealed class Setup : IDisposable
    {
        private readonly optim.Optimizer optimizer;
        private readonly TrainStep step;
        private readonly int[][] rows;
        private readonly long[] labels;
        private readonly int padId;
        private readonly double scaling;
        private readonly double loraDropout;

        private Setup(TransformerModel model, PeftModel peft, optim.Optimizer optimizer, int[][] rows, long[] labels, double scaling, double loraDropout)
        {
            Model = model;
            Peft = peft;
            this.optimizer = optimizer;
            this.rows = rows;
            this.labels = labels;
            padId = model.Tokenizer!.PadId;
            this.scaling = scaling;
            this.loraDropout = loraDropout;
            step = new TrainStep(model, [.. peft.TrainableParameters().Select(p => p.Parameter)], optimizer, MaxGradNorm, accumulation: 1);
        }

        public TransformerModel Model { get; }
        public PeftModel Peft { get; }

        public static Setup Create(BenchShape shape, BenchSettings settings)
        {
            torch.manual_seed(settings.Seed);
            var device = TorchRuntime.ResolveDevice(settings.Device);
            var model = ModelLoader.Load(BaseModel, new ModelLoadOptions
            {
                ClassLabels = [.. Enumerable.Range(0, Labels).Select(i => $"label_{i}")],
                Seed = settings.Seed,
                Device = device,
            });
            var peft = new PeftModel(model);
            var config = new PeftAdapterConfig
            {
                R = shape.Rank,
                LoraAlpha = 2 * shape.Rank,
                LoraDropout = settings.LoraDropout,
                TargetModules = ["query", "value"],
                ModulesToSave = ["classifier"],
                TaskType = "SEQ_CLS",
                InitLoraWeights = PeftInit.Gaussian, // B != 0, so the parity check sees the LoRA path
            };
            peft.AddAdapter(TrainRecipe.AdapterName, config, new Generator((ulong)settings.Seed));
            var optimizer = optim.AdamW(peft.TrainableParameters().Select(p => p.Parameter), LearningRate, 0.9, 0.999, 1e-8, WeightDecay);
            var rng = new Random((int)settings.Seed);
            var tokenizer = model.Tokenizer!;
            var rows = Enumerable.Range(0, shape.Batch).Select(_ =>
            {
                var row = new int[shape.Tokens];
                row[0] = tokenizer.ClsId;
                for (var t = 1; t < row.Length - 1; t++)
                    row[t] = rng.Next(1000, model.Bert!.VocabSize);
                row[^1] = tokenizer.SepId;
                return row;
            }).ToArray();
            var labels = Enumerable.Range(0, shape.Batch).Select(_ => (long)rng.Next(Labels)).ToArray();
            return new Setup(model, peft, optimizer, rows, labels, config.Scaling(shape.Rank, config.LoraAlpha), settings.LoraDropout);
        }

        /// <summary>One training step as <c>train</c> takes it: pad the tokenised rows, forward, backward, clip, AdamW, read loss and norm.</summary>
        public object OurStep()
        {
            using var scope = NewDisposeScope();
            using var batch = TextBatch.Pad(rows, padId, labels, Model.Device);
            var loss = step.Backward(batch);
            var norm = step.Apply(LearningRate);
            return loss.item<float>() + norm.item<float>();
        }

        public (Tensor Ids, Tensor Mask, Tensor Labels) Tensors()
        {
            var batch = TextBatch.Pad(rows, padId, labels, Model.Device);
            return (batch.InputIds, batch.AttentionMask, batch.Labels!);
        }

        /// <summary>The plain (or fused) loop, from copies of this model's weights and this adapter's initial LoRA matrices.</summary>
        public PlainLoraLoop Plain(bool fusedAttention)
        {
            var weights = Model.Module.state_dict()
                .Where(kv => !kv.Key.Contains($".{TrainRecipe.AdapterName}.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var (name, parameter) in Peft.TrainableParameters())
            {
                var lora = LoraName().Match(name);
                if (lora.Success)
                    weights[$"{lora.Groups[1].Value}.{lora.Groups[2].Value}"] = parameter;
            }
            return new PlainLoraLoop(Model.Bert!, weights, scaling, loraDropout, LearningRate, WeightDecay, MaxGradNorm, fusedAttention);
        }

        public void Dispose()
        {
            optimizer.Dispose();
            Model.Dispose();
        }
    }

    [GeneratedRegex(@"^base_model\.model\.(.+)\.(lora_[AB])\.default\.weight$")]
    private static partial Regex LoraName();
}

/// <summary>A training batch shape and LoRA rank.</summary>
public sealed record BenchShape(int Batch, int Tokens, int Rank)
{
    public override string ToString() => $"{Batch} x {Tokens}, r {Rank}";
}

/// <summary>How long and where <c>bench</c> runs.</summary>
public sealed record BenchSettings
{
    public string Device { get; init; } = "cpu";
    /// <summary>The dtype the base is held in (<c>--dtype</c>; decoder benches only).</summary>
    public ScalarType Dtype { get; init; } = ScalarType.Float32;
    public int Warmup { get; init; } = 3;
    public int Steps { get; init; } = 10;
    public int Rank { get; init; } = 8;
    public double LoraDropout { get; init; } = 0.1;
    public int LatencyExamples { get; init; } = 32;
    public long Seed { get; init; } = 42;
    /// <summary>Activation checkpointing of every layer (<c>bench --model</c> only).</summary>
    public bool GradientCheckpointing { get; init; }
    /// <summary>Looked at before every timed or warm-up step, run and prediction batch (Ctrl+C, SIGTERM).</summary>
    public CancellationToken CancellationToken { get; init; }
}

/// <param name="Ratio">ours over the plain loop.</param>
/// <param name="MaxLogitDifference">ours against the plain loop, eval mode, same batch.</param>
public sealed record StepComparison(BenchShape Shape, double OursMs, double PlainMs, double Ratio, double TokensPerSecond, double MaxLogitDifference, long PeakBytes)
{
    /// <summary>The loop with fused attention (<c>scaled_dot_product_attention</c>), ms per step.</summary>
    public double FusedMs { get; init; }

    /// <summary>Ours over the fused loop.</summary>
    public double FusedRatio { get; init; }

    /// <summary>Ours against the fused loop, eval mode, same batch.</summary>
    public double FusedMaxLogitDifference { get; init; }

    /// <summary>The step's unavoidable matrix products alone (<see cref="MatmulFloor"/>), ms: no step of this arithmetic takes less here.</summary>
    public double FloorMs { get; init; }

    /// <summary>Ours over the floor.</summary>
    public double FloorRatio { get; init; }

    /// <summary>The floor's work, GFLOP (its products' 2 x M x K x N summed).</summary>
    public double FloorGflop { get; init; }
}

public sealed record ScalingRow(BenchShape Shape, double Ms, double TokensPerSecond, long TrainableParameters, long PeakBytes);

/// <param name="LinearityRatio">time for all examples over time for a quarter of them: 4 when evaluation is linear.</param>
public sealed record InferenceRow(string Mode, int Examples, double ExamplesPerSecond, double LinearityRatio, double LatencyMs);
