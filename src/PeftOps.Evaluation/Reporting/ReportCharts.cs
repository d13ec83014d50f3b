using ScottPlot;

namespace PeftOps.Evaluation;

/// <summary>PNG charts for the report (ScottPlot): the training curve and the per-class F1 change.</summary>
public static class ReportCharts
{
    public const string TrainingCurveFile = "training-curve.png";
    public const string PerClassF1File = "per-class-f1.png";
    private const int Width = 800;
    private const int Height = 400;

    /// <summary>Writes the charts that have data into <paramref name="directory"/> and returns links to them.</summary>
    public static IReadOnlyList<ChartLink> Write(string directory, EvaluationReport candidate, GateResult result)
    {
        var links = new List<ChartLink>();
        if (candidate.Training is { Curve.Count: > 0 } training)
        {
            TrainingCurve(training.Curve).SavePng(Path.Combine(directory, TrainingCurveFile), Width, Height);
            links.Add(new ChartLink(TrainingCurveFile, "training loss and validation metric by step"));
        }
        if (result.PerClass.Count > 0)
        {
            PerClassF1(result.PerClass, result.Baseline.Kind).SavePng(Path.Combine(directory, PerClassF1File), Width, Height);
            links.Add(new ChartLink(PerClassF1File, "per-class F1 change"));
        }
        return links;
    }

    private static Plot TrainingCurve(IReadOnlyList<CurvePoint> curve)
    {
        var plot = new Plot();
        var loss = plot.Add.Scatter(curve.Select(p => (double)p.Step).ToArray(), curve.Select(p => p.Loss).ToArray());
        loss.LegendText = "training loss";
        loss.MarkerSize = 0;
        var validated = curve.Where(p => p.ValidationMetric is not null).ToList();
        if (validated.Count > 0)
        {
            var metric = plot.Add.Scatter(
                validated.Select(p => (double)p.Step).ToArray(), validated.Select(p => p.ValidationMetric!.Value).ToArray());
            metric.LegendText = "validation metric";
            metric.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "validation metric";
        }
        plot.Title("Training curve");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperCenter);
        return plot;
    }

    private static Plot PerClassF1(IReadOnlyList<ClassChange> changes, BaselineKind baseline)
    {
        var plot = new Plot();
        var multipleSuites = changes.Select(c => c.Suite).Distinct().Count() > 1;
        var bars = changes.Select((c, i) => new Bar
        {
            Position = i,
            Value = c.DeltaF1,
            FillColor = c.DeltaF1 >= 0 ? Colors.SeaGreen : Colors.IndianRed,
        }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(
            [.. changes.Select((_, i) => (double)i)],
            [.. changes.Select(c => multipleSuites ? $"{c.Suite}/{c.Label}" : c.Label)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = changes.Count > 6 ? 45 : 0;
        plot.Add.HorizontalLine(0, color: Colors.Black);
        plot.Title($"F1 change per class (candidate - {(baseline == BaselineKind.Production ? "production" : "base model")})");
        plot.YLabel("ΔF1");
        return plot;
    }
}
