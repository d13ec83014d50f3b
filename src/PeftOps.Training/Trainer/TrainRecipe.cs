using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Training.Data;
using PeftOps.Training.Scope;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Training.Trainer;

/// <summary>
/// Trains an adapter from its spec, for either <c>task.type</c>: <c>sequence-classification</c> on a BERT encoder
/// (<see cref="ClassificationData"/>: labelled texts, cross-entropy over the labels) or <c>causal-lm</c> on a Llama,
/// Qwen2 or Mistral decoder (<see cref="CausalLmData"/>: prompt/response or chat JSONL, the loss on the response or the
/// assistant turns only). Top to bottom: setup, train (AdamW, warmup then
/// decay, clipping, accumulation, optional activation checkpointing and embedding preservation, early stopping on a validation metric keeping the
/// best weights, resumable checkpoints), save in PEFT's format, write metrics.jsonl and train.json, clean up.
/// The same spec and seed on CPU give byte-identical adapter files: data order, initialisation and
/// dropout all derive from the seed and the step number, also across a resume.
/// </summary>
public static partial class TrainRecipe
{
    public const string AdapterName = "default";

    public static TrainSummary Run(AdapterSpec spec, TrainOptions options, TrainProgress progress, CancellationToken ct)
    {
        // --- setup: every check and allocation before the first byte is written ----------------
        var run = new RunFolder(options.OutDir);
        run.CheckTarget();
        var device = TorchRuntime.ResolveDevice(options.Device);
        var dtype = BaseDtype.Parse(options.Dtype);
        var t = spec.Training;
        ITrainingData data = spec.Task.Type == TaskType.CausalLm ? new CausalLmData(spec) : new ClassificationData(spec);
        var labels = data.Labels;
        var specHash = SpecHash.Compute(spec);

        torch.manual_seed(t.Seed);
        using var model = Allocating(spec, "base_model", $"base_model {spec.BaseModel} does not fit in memory on {device}",
            () => ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { ClassLabels = labels.Count > 0 ? labels : null, Seed = t.Seed, Device = device, Dtype = dtype }));
        CheckArchitecture(spec, model);
        ModelFit.Check(spec, model);
        model.GradientCheckpointing = t.GradientCheckpointing;
        // the base model's embeddings, taken before the adapter exists
        using var anchor = t.PreserveEmbeddings is { } weight ? EmbeddingAnchor.Take(model, data, t.BatchSize, device, weight) : null;
        var peft = new PeftModel(model);
        var parameters = Allocating(spec, "method", $"the adapter (method.r {spec.Method.R}) does not fit in memory on {device}", () =>
        {
            peft.AddAdapter(AdapterName, SpecToPeft.Map(spec), new Generator((ulong)t.Seed), spec.Locate("method.target_modules"));
            return peft.TrainableParameters();
        });
        using var optimizer = torch.optim.AdamW(parameters.Select(p => p.Parameter), t.LearningRate, 0.9, 0.999, 1e-8, t.WeightDecay);
        var step = new TrainStep(model, parameters.Select(p => p.Parameter).ToList(), optimizer, t.MaxGradNorm, t.GradientAccumulationSteps, anchor);
        var resume = run.LoadCheckpoint(specHash);
        var lengths = data.Lengths;
        var batchesPerEpoch = (lengths.Count + t.BatchSize - 1) / t.BatchSize;
        var stepsPerEpoch = Math.Max(1, batchesPerEpoch / t.GradientAccumulationSteps);
        var totalSteps = t.MaxSteps ?? stepsPerEpoch * t.Epochs;
        var schedule = new LearningRateSchedule(t.LearningRate, (int)Math.Round(t.WarmupRatio * totalSteps), totalSteps, t.Scheduler);
        var state = resume?.State ?? new TrainingState();
        if (resume is not null)
            run.Restore(resume, parameters, optimizer);
        progress.Start(spec.Name, totalSteps, state.Step);

        // --- train ------------------------------------------------------------------------------
        var clock = Stopwatch.StartNew();
        long tokensSeen = 0, examplesSeen = 0;
        model.Module.train();
        try
        {
            for (var epoch = state.Epoch; state.Step < totalSteps && !state.Stopped; epoch++)
            {
                var batches = LengthBuckets.Batches(lengths, t.BatchSize, t.Seed, epoch);
                var micro = 0;
                Tensor? lossSum = null; // summed on the device, read once per optimizer step when it is logged
                for (var b = epoch == state.Epoch ? state.BatchInEpoch : 0; b < batches.Count && state.Step < totalSteps; b++)
                {
                    ct.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    torch.manual_seed(t.Seed * 1_000_003L + state.Step * 131L + micro); // dropout, reproducible across resumes
                    var indices = batches[b];
                    using var batch = data.Encode(model, indices, device);
                    var loss = step.Backward(batch, indices);
                    lossSum = lossSum is null ? loss.MoveToOuterDisposeScope() : lossSum.PlusInPlace(loss);
                    tokensSeen += batch.Tokens;
                    examplesSeen += indices.Length;
                    if (++micro < t.GradientAccumulationSteps && b < batches.Count - 1)
                        continue;

                    var lr = schedule.At(state.Step);
                    using var norm = step.Apply(lr);
                    var gradNorm = norm.item<float>();
                    var meanLoss = lossSum!.item<float>() / micro;
                    lossSum.Dispose();
                    lossSum = null;
                    state.Step++;
                    state.BatchInEpoch = b + 1;
                    state.Epoch = epoch;
                    var point = new CurvePoint(state.Step, epoch + (double)(b + 1) / batches.Count, meanLoss, lr);
                    run.AppendMetrics(new { step = point.Step, epoch = Math.Round(point.Epoch, 4), loss = point.Loss, learning_rate = lr, grad_norm = gradNorm, examples = examplesSeen, seconds = Math.Round(clock.Elapsed.TotalSeconds, 3) });
                    state.Curve.Add(point);
                    progress.Step(state.Step, point.Loss, lr);
                    micro = 0;
                    if (t.CheckpointEvery > 0 && state.Step % t.CheckpointEvery == 0)
                        run.SaveCheckpoint(specHash, state, parameters, optimizer);
                    options.AfterStep?.Invoke(state.Step);
                }

                // end of epoch: validate, early-stop, checkpoint; cancelled while validating, the checkpoint says
                // "every batch done" and the resumed run validates this epoch again
                if (data.HasValidation)
                {
                    var (metricName, higherIsBetter) = data.ValidationMetric;
                    var metric = data.Validate(model, ct);
                    run.AppendMetrics(new { step = state.Step, epoch = epoch + 1, validation = new Dictionary<string, double> { [metricName] = metric } });
                    state.Curve[^1] = state.Curve[^1] with { ValidationMetric = metric };
                    progress.Validation(epoch + 1, metricName, metric);
                    if (state.BestMetric is null || (higherIsBetter ? metric > state.BestMetric : metric < state.BestMetric))
                    {
                        (state.BestMetric, state.BestStep, state.BadEpochs) = (metric, state.Step, 0);
                        run.SaveBest(parameters);
                    }
                    else if (t.EarlyStopping is { } es && ++state.BadEpochs >= es.Patience)
                        state.Stopped = true;
                    model.Module.train();
                }
                state.Epoch = epoch + 1;
                state.BatchInEpoch = 0;
                run.SaveCheckpoint(specHash, state, parameters, optimizer);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // between optimizer steps: what the last step left is whole, so keep it and resume from it
            state.SecondsBefore += clock.Elapsed.TotalSeconds;
            run.SaveCheckpoint(specHash, state, parameters, optimizer);
            throw new OperationCanceledException(
                $"training stopped after step {state.Step} of {totalSteps}, checkpoint kept in {run.CheckpointDir}; run the same command again to resume", ct);
        }
        var seconds = clock.Elapsed.TotalSeconds + state.SecondsBefore;

        // --- save -------------------------------------------------------------------------------
        if (state.BestStep is not null)
            run.RestoreBest(parameters);
        model.Module.eval();
        var adapterScope = spec.Scope?.OutOfScope is { } oos && data is ClassificationData classification
            ? ScopeCalibration.Calibrate(model, labels, oos, classification.InScopeTrain, classification.InScopeValidation, classification.OutOfScopeValidation, spec.Task.MaxLength)
            : null;
        if (adapterScope is not null)
            progress.Scope(adapterScope);
        var adapterBytes = run.SaveAdapter(peft, labels, adapterScope);
        var (trainable, total) = peft.ParameterCounts();
        var summary = new TrainSummary
        {
            Adapter = spec.Name,
            BaseModel = spec.BaseModel,
            BaseModelSha256 = model.Source.Sha256,
            SpecSha256 = specHash,
            Steps = state.Step,
            Epochs = Math.Round(state.Curve.Count == 0 ? 0 : state.Curve[^1].Epoch, 4),
            Seconds = Math.Round(seconds, 3),
            Device = device.ToString(),
            BaseDtype = BaseDtype.Name(dtype),
            Examples = lengths.Count,
            ExamplesPerSecond = Math.Round(examplesSeen / Math.Max(1e-9, clock.Elapsed.TotalSeconds), 2),
            TokensPerSecond = Math.Round(tokensSeen / Math.Max(1e-9, clock.Elapsed.TotalSeconds), 1),
            PeakMemoryBytes = PeakMemory(),
            TrainableParams = trainable,
            TotalParams = total,
            AdapterBytes = adapterBytes,
            BestStep = state.BestStep,
            BestMetric = state.BestMetric,
            EarlyStoppingMetric = data.HasValidation ? data.ValidationMetric.Name : null,
            Resumed = resume is not null,
            Labels = labels,
            Scope = adapterScope,
            DataSha256 = data.DataSha256,
            Spec = SpecText.Flatten(spec),
            Torchsharp = TorchRuntime.TorchSharpVersion,
            Libtorch = TorchRuntime.LibTorchVersion,
        };
        run.Finish(summary, state.Curve);
        progress.Done(summary);
        return summary;
    }

    private static void CheckArchitecture(AdapterSpec spec, TransformerModel model)
    {
        var wanted = spec.Task.Type == TaskType.CausalLm ? ModelArchitecture.LlamaCausalLm : ModelArchitecture.BertSequenceClassifier;
        if (model.Architecture != wanted)
            throw new InputException($"{spec.SourcePath}: task.type {(spec.Task.Type == TaskType.CausalLm ? "causal-lm" : "sequence-classification")} does not fit base_model {spec.BaseModel} ({model.Architecture})");
    }

    /// <summary>
    /// Runs an allocation that the spec sizes (the base model, the adapter): when the machine cannot give the memory
    /// (libtorch's allocator, or the runtime's), that is bad input named at its key, not a crash.
    /// </summary>
    private static T Allocating<T>(AdapterSpec spec, string key, string what, Func<T> allocate)
    {
        try
        {
            return allocate();
        }
        catch (Exception e) when (e is OutOfMemoryException
            || (e is ExternalException && (e.Message.Contains("alloc", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase))))
        {
            // libtorch's "[enforce fail at alloc_cpu.cpp:127] err == 0. " says where in libtorch, not why: dropped.
            var reason = EnforcePrefix().Replace(e.Message.Split('\n', 2)[0].Trim(), "");
            throw new InputException($"{spec.Locate(key)}: {what} ({reason})", e);
        }
    }

    [GeneratedRegex(@"^\[enforce fail at [^\]]*\][^.]*\.\s*")]
    private static partial Regex EnforcePrefix();

    // The process's peak resident memory; TorchSharp 0.107 exposes no CUDA allocator statistics.
    private static long PeakMemory() => Process.GetCurrentProcess().PeakWorkingSet64;
}

/// <param name="OutDir">RUN_DIR: receives adapter/, metrics.jsonl, train.json and (while training) checkpoint/.</param>
/// <param name="Device">cpu, cuda, cuda:N or auto.</param>
/// <param name="AfterStep">Called after each optimizer step (and its checkpoint) with the step number.</param>
public sealed record TrainOptions(string OutDir, string? Device = null, Action<int>? AfterStep = null, string? Dtype = null);
