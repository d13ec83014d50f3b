using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Comparing;
using PeftOps.Evaluation.Reporting;
using PeftOps.Training.Evaluating;
using PeftOps.Training.Trainer;

namespace PeftOps.Training.Comparing;

/// <summary>
/// <c>peftops compare</c>: for each variant of a spec, train (<see cref="TrainRecipe"/>), evaluate
/// (<see cref="EvaluateRecipe"/>) and gate against the base model (<see cref="GateRunner"/>) into DIR/NAME/{run,eval,gate};
/// then write DIR/compare.json and DIR/compare.md. A variant whose train.json and eval.json in DIR carry its spec's
/// sha256 is not trained or evaluated again, and an interrupted training resumes from its checkpoint, so a rerun after a
/// kill finishes the job.
/// </summary>
public static class CompareRecipe
{
    /// <summary>A variant's training run, beside <see cref="RunLayout.EvalFolder"/> and <see cref="RunLayout.GateFolder"/> in its folder.</summary>
    public const string RunFolder = "run";

    public static ComparisonReport Run(IReadOnlyList<SpecVariant> variants, CompareOptions options, Func<TrainProgress> progress, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(log);
        if (variants.Count == 0)
            throw new ArgumentException("expected at least the committed spec", nameof(variants));

        // --- setup ------------------------------------------------------------------------------
        // every variant against the base model's shape (method.r, layers_to_transform) where its config is at hand
        var unfit = new List<string>();
        foreach (var variant in variants)
        {
            try
            {
                ModelFit.CheckIfKnown(variant.Spec);
            }
            catch (InputException e)
            {
                unfit.AddRange(e.Message.Split('\n').Select(line => $"variant {variant.Name}: {line}"));
            }
        }
        if (unfit.Count > 0)
            throw new InputException(string.Join('\n', unfit));
        if (string.IsNullOrWhiteSpace(options.OutDir))
            throw new InputException("--out: expected a folder for the comparison (was empty)");
        var outDir = Path.GetFullPath(options.OutDir);
        if (File.Exists(outDir))
            throw new InputException($"--out {options.OutDir}: is a file (expected a folder for the comparison)");
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--out {options.OutDir}: cannot create the folder ({e.Message})", e);
        }

        // --- each variant: train, evaluate, gate -------------------------------------------------
        var rows = new List<ComparedVariant>();
        foreach (var variant in variants)
        {
            ct.ThrowIfCancellationRequested();
            var spec = variant.Spec;
            var hash = SpecHash.Compute(spec);
            var folder = Path.Combine(outDir, variant.Name);
            var runDir = Path.Combine(folder, RunFolder);
            var trainJson = Path.Combine(runDir, TrainRun.FileName);
            var trained = false;
            if (File.Exists(trainJson) && TrainRunJson.Read(trainJson).Summary.SpecSha256 == hash)
                log.WriteLine($"{variant.Name}: trained already for this spec (sha256 {hash[..12]}), not trained again");
            else
            {
                log.WriteLine($"{variant.Name}: training {Comparison.MethodSummary(spec.Method)}");
                using var bar = progress();
                TrainRecipe.Run(spec, new TrainOptions(runDir, options.Device), bar, ct);
                trained = true;
            }

            var evalPath = Path.Combine(folder, RunLayout.EvalFolder, RunLayout.EvalFile);
            EvaluationReport eval;
            if (!trained && File.Exists(evalPath) && EvaluationReportJson.Read(evalPath) is var earlier && earlier.SpecSha256 == hash)
                eval = earlier;
            else
            {
                ct.ThrowIfCancellationRequested();
                eval = EvaluateRecipe.Run(spec, Path.Combine(runDir, "adapter"), [], options.Device, options.Commit, ct: ct);
                Directory.CreateDirectory(Path.GetDirectoryName(evalPath)!);
                EvaluationReportJson.Write(evalPath, eval);
            }

            var gate = GateRunner.Run(spec.Gate, spec.Name, evalPath, baselineEvalPath: null, Path.Combine(folder, RunLayout.GateFolder), stepSummaryPath: null, ct);
            log.WriteLine($"{variant.Name}: {gate.Headline}");
            rows.Add(Comparison.Row(variant.Name, variant.Set, spec.Method, eval, gate));
        }

        // --- report -----------------------------------------------------------------------------
        var first = variants[0].Spec;
        var report = Comparison.Report(first.Name, first.BaseModel, first.Gate.Confidence, rows, DateTimeOffset.UtcNow);
        ComparisonReportJson.Write(Path.Combine(outDir, ComparisonReport.FileName), report);
        AtomicFile.WriteAllText(Path.Combine(outDir, ComparisonRenderer.FileName), ComparisonRenderer.Render(report));
        return report;
    }
}

/// <param name="OutDir">DIR: receives NAME/{run,eval,gate} per variant, compare.json and compare.md.</param>
/// <param name="Device">cpu, cuda, cuda:N or auto.</param>
/// <param name="Commit">The commit eval.json's lineage records.</param>
public sealed record CompareOptions(string OutDir, string? Device = null, string? Commit = null);
