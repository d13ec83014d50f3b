using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

/// <summary>
/// Reads the eval.json files, runs the gate and writes <c>report.md</c> (charts included, as Mermaid) and <c>gate.json</c> into
/// the output folder: all of them are written to a temporary sibling folder first and moved in at the end, so an
/// error leaves nothing half-written. The report is also appended to <c>$GITHUB_STEP_SUMMARY</c> when that is set.
/// </summary>
public static class GateRunner
{
    public const string ReportFile = RunLayout.ReportFile;
    public const string GateFile = RunLayout.GateFile;

    public static GateResult Run(
        GatePolicy policy, string adapterName, string candidateEvalPath, string? baselineEvalPath, string outDir, CancellationToken ct,
        string? baselineVersion = null, DataInput? data = null) =>
        Run(policy, adapterName, candidateEvalPath, baselineEvalPath, outDir,
            Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary ? summary : null, ct, baselineVersion, data);

    /// <param name="stepSummaryPath">a file to append the report to (GitHub's job summary), or null.</param>
    /// <param name="baselineVersion">the registered version of the baseline (from the manifest pulled beside it), when known.</param>
    /// <param name="data">the adapter's data.json and the spec's data_checks rules, when the data was checked.</param>
    public static GateResult Run(
        GatePolicy policy, string adapterName, string candidateEvalPath, string? baselineEvalPath, string outDir,
        string? stepSummaryPath, CancellationToken ct, string? baselineVersion = null, DataInput? data = null)
    {
        ct.ThrowIfCancellationRequested();
        var (result, candidate) = Evaluate(policy, adapterName, candidateEvalPath, baselineEvalPath, baselineVersion, data?.Judge(adapterName));

        var target = Path.GetFullPath(outDir);
        if (Path.GetDirectoryName(target) is null)
            throw new InputException($"{outDir}: cannot write the report into a root folder");
        var markdown = ReportRenderer.Render(result, ReportCharts.For(candidate, result));
        foreach (var stale in new[] { "training-curve.png", "per-class-f1.png" }.Select(f => Path.Combine(target, f)).Where(File.Exists))
            File.Delete(stale);   // PNG charts of reports made before the charts moved into the Markdown
        // report.md and gate.json are written together; over an earlier run's folder each replaces its namesake
        AtomicFile.WriteDirectory(target, temp =>
        {
            File.WriteAllText(Path.Combine(temp, ReportFile), markdown);
            GateResultJson.Write(Path.Combine(temp, GateFile), result);
            ct.ThrowIfCancellationRequested();
        }, ExistingFolder.ReplaceFiles);

        if (stepSummaryPath is not null)
            File.AppendAllText(stepSummaryPath, markdown + "\n");
        return result;
    }

    /// <summary>
    /// The gate's result for these files, with the sha256 of the eval.json bytes it read: what <c>gate.json</c> holds.
    /// A release recomputes it to check that a gate.json follows from its eval.json.
    /// </summary>
    /// <param name="data">the data rules as the gate judged them; null when it read no data.json.</param>
    public static GateResult Compute(GatePolicy policy, string adapterName, string candidateEvalPath, string? baselineEvalPath, string? baselineVersion,
        DataGateFacts? data = null) =>
        Evaluate(policy, adapterName, candidateEvalPath, baselineEvalPath, baselineVersion, data).Result;

    private static (GateResult Result, EvaluationReport Candidate) Evaluate(
        GatePolicy policy, string adapterName, string candidateEvalPath, string? baselineEvalPath, string? baselineVersion, DataGateFacts? data)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var (candidate, candidateSha) = ReadFor(candidateEvalPath, adapterName);
        var baseline = baselineEvalPath is null ? default : ReadFor(baselineEvalPath, adapterName);
        try
        {
            var result = Gate.Evaluate(policy, adapterName, candidate, baseline.Report, baselineVersion, data) with
            {
                Inputs = new GateInputs(candidateSha, baseline.Sha256),
            };
            return (result, candidate);
        }
        catch (InputException e)
        {
            throw new InputException($"{candidateEvalPath}: {e.Message}", e);
        }
    }

    /// <summary>Reads an eval.json once: the report, and the sha256 of the bytes it was parsed from.</summary>
    private static (EvaluationReport Report, string Sha256) ReadFor(string path, string adapterName)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read eval.json ({e.Message})", e);
        }
        using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
        var report = EvaluationReportJson.Parse(reader.ReadToEnd(), path);
        if (!string.Equals(report.Adapter, adapterName, StringComparison.Ordinal))
            throw new InputException($"{path}: adapter is '{report.Adapter}', expected '{adapterName}'");
        return (report, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }
}
