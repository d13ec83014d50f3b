using PeftOps.Configuration;

namespace PeftOps.Evaluation;

/// <summary>
/// Reads the eval.json files, runs the gate and writes <c>report.md</c>, <c>gate.json</c> and the PNG charts into
/// the output folder: all of them are written to a temporary sibling folder first and moved in at the end, so an
/// error leaves nothing half-written. The report is also appended to <c>$GITHUB_STEP_SUMMARY</c> when that is set.
/// </summary>
public static class GateRunner
{
    public const string ReportFile = "report.md";
    public const string GateFile = "gate.json";

    public static GateResult Run(
        GatePolicy policy, string adapterName, string candidateEvalPath, string? baselineEvalPath, string outDir, CancellationToken ct) =>
        Run(policy, adapterName, candidateEvalPath, baselineEvalPath, outDir,
            Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary ? summary : null, ct);

    /// <param name="stepSummaryPath">a file to append the report to (GitHub's job summary), or null.</param>
    public static GateResult Run(
        GatePolicy policy, string adapterName, string candidateEvalPath, string? baselineEvalPath, string outDir,
        string? stepSummaryPath, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var candidate = ReadFor(candidateEvalPath, adapterName);
        var baseline = baselineEvalPath is null ? null : ReadFor(baselineEvalPath, adapterName);
        GateResult result;
        try
        {
            result = Gate.Evaluate(policy, adapterName, candidate, baseline);
        }
        catch (InputException e)
        {
            throw new InputException($"{candidateEvalPath}: {e.Message}", e);
        }

        var target = Path.GetFullPath(outDir);
        var parent = Path.GetDirectoryName(target) ?? throw new InputException($"{outDir}: cannot write the report into a root folder");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        string markdown;
        try
        {
            Directory.CreateDirectory(temp);
            var charts = ReportCharts.Write(temp, candidate, result);
            markdown = ReportRenderer.Render(result, charts);
            File.WriteAllText(Path.Combine(temp, ReportFile), markdown);
            GateResultJson.Write(Path.Combine(temp, GateFile), result);
            ct.ThrowIfCancellationRequested();
            Publish(temp, target);
        }
        finally
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
        }

        if (stepSummaryPath is not null)
            File.AppendAllText(stepSummaryPath, markdown + "\n");
        return result;
    }

    private static EvaluationReport ReadFor(string path, string adapterName)
    {
        var report = EvaluationReportJson.Read(path);
        if (!string.Equals(report.Adapter, adapterName, StringComparison.Ordinal))
            throw new InputException($"{path}: adapter is '{report.Adapter}', expected '{adapterName}'");
        return report;
    }

    /// <summary>Moves the finished files in; charts a previous run left and this one did not draw are removed.</summary>
    private static void Publish(string temp, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }
        foreach (var stale in new[] { ReportCharts.TrainingCurveFile, ReportCharts.PerClassF1File })
        {
            if (!File.Exists(Path.Combine(temp, stale)))
                File.Delete(Path.Combine(target, stale));
        }
        foreach (var file in Directory.GetFiles(temp))
            File.Move(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }
}
