using PeftOps.Contracts;
using System.Globalization;
using System.Text;

namespace PeftOps.Evaluation.Reporting;

/// <summary>A chart of the report: what it shows, and its Mermaid source.</summary>
/// <param name="Kind"><see cref="ReportCharts.TrainingCurve"/>, <see cref="ReportCharts.ValidationCurve"/> or <see cref="ReportCharts.PerClassF1"/>.</param>
public sealed record ReportChart(string Kind, string Title, string Mermaid);

/// <summary>
/// The report's charts as Mermaid <c>xychart-beta</c> blocks. GitHub renders Mermaid natively in PR comments, check
/// run summaries, job summaries and release notes, so the charts travel inside the Markdown: no image to upload,
/// no link that breaks, nothing a reader's browser fetches from elsewhere.
/// </summary>
public static class ReportCharts
{
    public const string TrainingCurve = "training-curve";
    public const string ValidationCurve = "validation-curve";
    public const string PerClassF1 = "per-class-f1";

    /// <summary>At most this many points per line, evenly spaced over the run, so a chart stays readable and small.</summary>
    public const int MaxPoints = 40;

    /// <summary>The charts that have data: training loss and validation metric by step, per-class F1 change.</summary>
    public static IReadOnlyList<ReportChart> For(EvaluationReport candidate, GateResult result)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(result);
        var charts = new List<ReportChart>();
        if (candidate.Training is { Curve.Count: > 0 } training)
        {
            var loss = Thin(training.Curve);
            charts.Add(new ReportChart(TrainingCurve, "training loss by step",
                Line("Training loss by step", "step", "loss", [.. loss.Select(p => p.Step)], [.. loss.Select(p => p.Loss)])));
            var validated = Thin([.. training.Curve.Where(p => p.ValidationMetric is not null)]);
            if (validated.Count > 0)
            {
                charts.Add(new ReportChart(ValidationCurve, "validation metric by step",
                    Line("Validation metric by step", "step", "validation metric", [.. validated.Select(p => p.Step)], [.. validated.Select(p => p.ValidationMetric!.Value)])));
            }
        }
        if (result.PerClass.Count > 0)
        {
            var multipleSuites = result.PerClass.Select(c => c.Suite).Distinct().Count() > 1;
            var against = result.Baseline.Kind == BaselineKind.Production ? "production" : "base model";
            charts.Add(new ReportChart(PerClassF1, "per-class F1 change",
                Bars($"F1 change per class (candidate - {against})", "ΔF1",
                    [.. result.PerClass.Select(c => multipleSuites ? $"{c.Suite}/{c.Label}" : c.Label)], [.. result.PerClass.Select(c => c.DeltaF1)])));
        }
        return charts;
    }

    private static List<CurvePoint> Thin(IReadOnlyList<CurvePoint> points)
    {
        if (points.Count <= MaxPoints)
            return [.. points];
        // evenly spaced indices, always keeping the first and the last point
        return [.. Enumerable.Range(0, MaxPoints).Select(i => points[(int)Math.Round(i * (points.Count - 1) / (double)(MaxPoints - 1))])];
    }

    private static string Line(string title, string xLabel, string yLabel, IReadOnlyList<int> steps, IReadOnlyList<double> values)
    {
        var (low, high) = Range(values);
        var text = new StringBuilder();
        text.AppendLine("xychart-beta");
        text.AppendLine(CultureInfo.InvariantCulture, $"    title \"{Label(title)}\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"    x-axis \"{Label(xLabel)}\" [{string.Join(", ", steps.Select(s => s.ToString(CultureInfo.InvariantCulture)))}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"    y-axis \"{Label(yLabel)}\" {Number(low)} --> {Number(high)}");
        text.Append(CultureInfo.InvariantCulture, $"    line [{string.Join(", ", values.Select(Number))}]");
        return text.ToString();
    }

    internal static string Bars(string title, string yLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values)
    {
        var (low, high) = Range([.. values, 0]);
        var text = new StringBuilder();
        text.AppendLine("xychart-beta");
        text.AppendLine(CultureInfo.InvariantCulture, $"    title \"{Label(title)}\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"    x-axis [{string.Join(", ", labels.Select(l => $"\"{Label(l)}\""))}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"    y-axis \"{Label(yLabel)}\" {Number(low)} --> {Number(high)}");
        text.Append(CultureInfo.InvariantCulture, $"    bar [{string.Join(", ", values.Select(Number))}]");
        return text.ToString();
    }

    /// <summary>The axis range: the data's, padded by 5% (a flat line gets ±0.05 around it).</summary>
    private static (double Low, double High) Range(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
            return (0, 1);
        var (low, high) = (finite.Min(), finite.Max());
        var pad = high > low ? (high - low) * 0.05 : 0.05;
        return (Math.Round(low - pad, 4), Math.Round(high + pad, 4));
    }

    private static string Number(double value) =>
        double.IsFinite(value) ? Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture) : "0";

    /// <summary>
    /// Text from data (class labels) made safe inside a quoted Mermaid label: quotes, brackets, backslashes, backticks,
    /// angle brackets and line breaks cannot end the string or the block; long labels are cut.
    /// </summary>
    public static string Label(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
            safe.Append(c is '"' or '`' or '\\' or '[' or ']' or '<' or '>' or ';' or '#' || char.IsControl(c) ? '_' : c);
        var result = safe.ToString().Trim();
        return result.Length > 40 ? result[..39] + "…" : result;
    }
}
