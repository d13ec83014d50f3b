using PeftOps.Contracts;
using System.Text;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

/// <summary>
/// Renders compare.json as compare.md, the sticky comment of a method comparison: a hidden marker naming the adapter
/// (<see cref="ReportMarker.ForComparison"/>, not the gate report's, so the two comments never replace each other), the lightest passing variant in one sentence,
/// one table row per variant, and a Mermaid bar chart of the first target metric per variant, lightest first.
/// </summary>
public static class ComparisonRenderer
{
    public const string FileName = "compare.md";

    /// <summary>The mark on the lightest passing variant's row.</summary>
    public const string LightestMark = "🏆";

    public static string Render(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine(ReportMarker.ForComparison(report.Adapter));
        md.AppendLine($"### Method comparison: {MarkdownText.Escape(report.Adapter)}");
        md.AppendLine();
        md.AppendLine($"{report.Variants.Count} variants of the spec, each trained, evaluated on the target and non-target suites and gated "
            + $"against the base model ({NumberText.Percent(report.Confidence).Replace(".00%", "%", StringComparison.Ordinal)} paired bootstrap intervals; "
            + "`min` rules show the interval of the value, other rules of the change).");
        md.AppendLine();
        var lightest = report.Variants.FirstOrDefault(v => v.Name == report.LightestPassing);
        md.AppendLine(lightest is null
            ? "**No variant passes the gate.**"
            : $"**{LightestMark} Lightest passing variant: {MarkdownText.Code(lightest.Name)}** ({MarkdownText.Escape(lightest.Method)}): "
              + $"the fewest trainable parameters ({NumberText.Count(lightest.TrainableParams)}, {NumberText.Bytes(lightest.AdapterBytes)}) "
              + $"of the {report.Variants.Count(v => v.Passes)} variants that pass the gate.");
        md.AppendLine();
        AppendTable(md, report);
        AppendChart(md, report);
        return md.ToString().TrimEnd() + "\n";
    }

    private static void AppendTable(StringBuilder md, ComparisonReport report)
    {
        var target = Columns(report.Variants.SelectMany(v => v.Target));
        var nonTarget = Columns(report.Variants.SelectMany(v => v.NonTarget));
        var header = new List<string> { "", "variant", "method" };
        header.AddRange(target.Select(c => MarkdownText.Code(c)));
        header.AddRange(nonTarget.Select(c => $"Δ {MarkdownText.Code(c)}"));
        header.AddRange(["trainable params", "adapter", "training", "latency (ms/example)", "gate"]);
        md.AppendLine($"| {string.Join(" | ", header)} |");
        md.AppendLine($"|{string.Concat(header.Select(_ => "---|"))}");
        foreach (var v in report.Variants)
        {
            var cells = new List<string>
            {
                v.Name == report.LightestPassing ? LightestMark : "",
                MarkdownText.Code(v.Name),
                MarkdownText.Escape(v.Method),
            };
            cells.AddRange(target.Select(c => v.Target.FirstOrDefault(m => Key(m) == c) is { } m ? TargetCell(m) : "–"));
            cells.AddRange(nonTarget.Select(c => v.NonTarget.FirstOrDefault(m => Key(m) == c) is { } m ? ChangeCell(m) : "–"));
            cells.Add(NumberText.Count(v.TrainableParams));
            cells.Add(NumberText.Bytes(v.AdapterBytes));
            cells.Add($"{NumberText.Fixed(v.TrainSeconds, 1)} s");
            cells.Add(v.LatencyMs is { } ms ? NumberText.Fixed(ms, 2) : "–");
            cells.Add($"{(v.Verdict switch { Verdict.Pass => "✅", Verdict.Fail => "❌", _ => "⚠️" })} {v.Verdict.ToString().ToLowerInvariant()}");
            md.AppendLine($"| {string.Join(" | ", cells)} |");
        }
        md.AppendLine();
    }

    private static void AppendChart(StringBuilder md, ComparisonReport report)
    {
        var first = report.Variants.SelectMany(v => v.Target).Select(Key).FirstOrDefault();
        if (first is null)
            return;
        var rows = report.Variants.Where(v => v.Target.Any(m => Key(m) == first))
            .OrderBy(v => v.TrainableParams).ThenBy(v => v.AdapterBytes).ToList();
        md.AppendLine($"{MarkdownText.Code(first)} per variant, fewest trainable parameters first:");
        md.AppendLine();
        md.AppendLine("```mermaid");
        md.AppendLine(ReportCharts.Bars($"{first} per variant", first,
            [.. rows.Select(v => $"{v.Name} ({NumberText.Count(v.TrainableParams)})")],
            [.. rows.Select(v => v.Target.First(m => Key(m) == first).Adapted)]));
        md.AppendLine("```");
    }

    private static List<string> Columns(IEnumerable<VariantMetric> metrics) => [.. metrics.Select(Key).Distinct(StringComparer.Ordinal)];

    private static string Key(VariantMetric m) => $"{m.Suite}.{m.Metric}";

    private static string TargetCell(VariantMetric m) => m switch
    {
        { Rule: RuleKind.Min, CiLow: { } low, CiHigh: { } high } => $"{NumberText.Value(m.Adapted)} {NumberText.Interval(low, high, signed: false)}",
        { CiLow: { } low, CiHigh: { } high } => $"{NumberText.Value(m.Adapted)} (Δ {NumberText.Signed(m.Delta)} {NumberText.Interval(low, high, signed: true)})",
        _ => $"{NumberText.Value(m.Adapted)} (Δ {NumberText.Signed(m.Delta)})",
    };

    private static string ChangeCell(VariantMetric m) => m is { CiLow: { } low, CiHigh: { } high }
        ? $"{NumberText.Signed(m.Delta)} {NumberText.Interval(low, high, signed: true)}"
        : NumberText.Signed(m.Delta);
}
