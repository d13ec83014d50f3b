using System.Diagnostics;
using System.Text.Json;
using PeftOps.Configuration;
using PeftOps.Evaluation;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Training.Trainer;

/// <summary>
/// Trains a sequence-classification adapter from its spec, top to bottom: setup, train (AdamW, warmup then
/// decay, clipping, accumulation, early stopping on a validation metric keeping the best weights,
/// resumable checkpoints), save in PEFT's format, write metrics.jsonl and train.json, clean up.
/// The same spec and seed on CPU give byte-identical adapter files: data order, initialisation and
/// dropout all derive from the seed and the step number, also across a resume.
/// </summary>
public static class TrainRecipe
{
    public const string AdapterName = "default";

    public static TrainSummary Run(AdapterSpec spec, TrainOptions options, TrainProgress progress, CancellationToken ct)
    {
        // --- setup ------------------------------------------------------------------------------
        if (spec.Task.Type != TaskType.SequenceClassification)
            throw new InputException($"{spec.SourcePath}: task.type causal-lm training needs a tokenizer for the checkpoint, which PeftOps does not read yet (expected sequence-classification)");
        var device = TorchRuntime.ResolveDevice(options.Device);
        var t = spec.Training;
        var trainPath = spec.Resolve(spec.Data.Train);
        var train = DataFile.ReadLabeled(trainPath);
        var labels = LabelSet.Resolve(spec, train, trainPath);
        var validationPath = spec.Data.Validation is { } v ? spec.Resolve(v) : null;
        var validation = validationPath is null ? null : DataFile.ReadLabeled(validationPath);
        if (validation is not null)
            LabelSet.CheckKnown(labels, validation, validationPath!);
        foreach (var suite in spec.Evaluation.Target.Where(s => s.Kind == SuiteKind.Classification))
            LabelSet.CheckKnown(labels, DataFile.ReadLabeled(spec.Resolve(suite.Data)), spec.Resolve(suite.Data));

        var run = new RunFolder(options.OutDir);
        var specHash = SpecHash.Compute(spec);
        var resume = run.LoadCheckpoint(specHash);

        torch.manual_seed(t.Seed);
        using var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { ClassLabels = labels, Seed = t.Seed, Device = device });
        var tokenizer = model.Tokenizer ?? throw new InputException($"{spec.SourcePath}: base_model {spec.BaseModel} has no vocab.txt tokenizer");
        var peft = new PeftModel(model);
        peft.AddAdapter(AdapterName, SpecToPeft.Map(spec), new Generator((ulong)t.Seed));
        var parameters = peft.TrainableParameters();
        using var optimizer = torch.optim.AdamW(parameters.Select(p => p.Parameter), t.LearningRate, 0.9, 0.999, 1e-8, t.WeightDecay);
        var labelIds = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => (long)x.i, StringComparer.Ordinal);
        var lengths = train.Select(e => Math.Min(spec.Task.MaxLength, e.Text.Length)).ToList();
        var batchesPerEpoch = (train.Count + t.BatchSize - 1) / t.BatchSize;
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
        for (var epoch = state.Epoch; state.Step < totalSteps && !state.Stopped; epoch++)
        {
            var batches = LengthBuckets.Batches(lengths, t.BatchSize, t.Seed, epoch);
            var micro = 0;
            double lossSum = 0;
            for (var b = epoch == state.Epoch ? state.BatchInEpoch : 0; b < batches.Count && state.Step < totalSteps; b++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                torch.manual_seed(t.Seed * 1_000_003L + state.Step * 131L + micro); // dropout, reproducible across resumes
                var indices = batches[b];
                using var batch = TextBatch.Encode(tokenizer, indices.Select(i => train[i].Text).ToList(), spec.Task.MaxLength,
                    indices.Select(i => labelIds[train[i].Label]).ToArray(), device);
                var loss = model.Loss(model.Logits(batch.InputIds, batch.AttentionMask), batch.Labels, batch.InputIds, batch.AttentionMask);
                (loss / t.GradientAccumulationSteps).backward();
                lossSum += loss.item<float>();
                tokensSeen += batch.Tokens;
                examplesSeen += indices.Length;
                if (++micro < t.GradientAccumulationSteps && b < batches.Count - 1)
                    continue;

                var lr = schedule.At(state.Step);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = lr;
                var gradNorm = t.MaxGradNorm > 0 ? nn.utils.clip_grad_norm_(parameters.Select(p => p.Parameter), t.MaxGradNorm) : 0;
                optimizer.step();
                optimizer.zero_grad();
                state.Step++;
                state.BatchInEpoch = b + 1;
                state.Epoch = epoch;
                var point = new CurvePoint(state.Step, epoch + (double)(b + 1) / batches.Count, lossSum / micro, lr);
                run.AppendMetrics(new { step = point.Step, epoch = Math.Round(point.Epoch, 4), loss = point.Loss, learning_rate = lr, grad_norm = gradNorm, examples = examplesSeen, seconds = Math.Round(clock.Elapsed.TotalSeconds, 3) });
                state.Curve.Add(point);
                progress.Step(state.Step, point.Loss, lr);
                micro = 0;
                lossSum = 0;
                if (t.CheckpointEvery > 0 && state.Step % t.CheckpointEvery == 0)
                    run.SaveCheckpoint(specHash, state, parameters, optimizer);
                options.AfterStep?.Invoke(state.Step);
            }

            // end of epoch: validate, early-stop, checkpoint
            state.Epoch = epoch + 1;
            state.BatchInEpoch = 0;
            if (validation is not null)
            {
                var metric = Validate(model, validation, labels, spec, t.EarlyStopping?.Metric ?? "macro_f1");
                run.AppendMetrics(new { step = state.Step, epoch = epoch + 1, validation = new Dictionary<string, double> { [t.EarlyStopping?.Metric ?? "macro_f1"] = metric } });
                state.Curve[^1] = state.Curve[^1] with { ValidationMetric = metric };
                progress.Validation(epoch + 1, t.EarlyStopping?.Metric ?? "macro_f1", metric);
                if (state.BestMetric is null || metric > state.BestMetric)
                {
                    (state.BestMetric, state.BestStep, state.BadEpochs) = (metric, state.Step, 0);
                    run.SaveBest(parameters);
                }
                else if (t.EarlyStopping is { } es && ++state.BadEpochs >= es.Patience)
                    state.Stopped = true;
                model.Module.train();
            }
            run.SaveCheckpoint(specHash, state, parameters, optimizer);
        }
        var seconds = clock.Elapsed.TotalSeconds + state.SecondsBefore;

        // --- save -------------------------------------------------------------------------------
        if (state.BestStep is not null)
            run.RestoreBest(parameters);
        model.Module.eval();
        var adapterBytes = run.SaveAdapter(peft, labels);
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
            Examples = train.Count,
            ExamplesPerSecond = Math.Round(examplesSeen / Math.Max(1e-9, clock.Elapsed.TotalSeconds), 2),
            TokensPerSecond = Math.Round(tokensSeen / Math.Max(1e-9, clock.Elapsed.TotalSeconds), 1),
            PeakMemoryBytes = PeakMemory(),
            TrainableParams = trainable,
            TotalParams = total,
            AdapterBytes = adapterBytes,
            BestStep = state.BestStep,
            BestMetric = state.BestMetric,
            EarlyStoppingMetric = validation is null ? null : t.EarlyStopping?.Metric ?? "macro_f1",
            Resumed = resume is not null,
            Labels = labels,
            DataSha256 = new Dictionary<string, string> { [spec.Data.Train] = DataFile.Sha256(trainPath) }
                .Concat(validationPath is null ? [] : [KeyValuePair.Create(spec.Data.Validation!, DataFile.Sha256(validationPath))])
                .ToDictionary(),
            Spec = SpecText.Flatten(spec),
            Torchsharp = TorchRuntime.TorchSharpVersion,
            Libtorch = TorchRuntime.LibTorchVersion,
        };
        run.Finish(summary, state.Curve);
        progress.Done(summary);
        return summary;
    }

    private static double Validate(TransformerModel model, IReadOnlyList<LabeledText> validation, IReadOnlyList<string> labels, AdapterSpec spec, string metric)
    {
        var probs = Predictor.Probabilities(model, validation.Select(v => v.Text).ToList(), spec.Task.MaxLength);
        var predicted = probs.Select(p => labels[Predictor.ArgMax(p)]).ToList();
        var gold = validation.Select(v => v.Label).ToList();
        return metric == "accuracy" ? EvalMetrics.Accuracy(gold, predicted) : EvalMetrics.MacroF1(gold, predicted);
    }

    // The process's peak resident memory; TorchSharp 0.107 exposes no CUDA allocator statistics.
    private static long PeakMemory() => Process.GetCurrentProcess().PeakWorkingSet64;
}
