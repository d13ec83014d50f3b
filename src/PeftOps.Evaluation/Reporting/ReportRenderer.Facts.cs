using PeftOps.Contracts;
using System.Globalization;
using System.Text;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

public static partial class ReportRenderer
{
    private static void AppendSpec(StringBuilder md, GateResult result)
    {
        md.AppendLine("#### Spec changes");
        md.AppendLine();
        var spec = result.SpecChanges;
        if (spec.FirstVersion)
            md.AppendLine("First version: nothing in production to compare the spec with.");
        else if (spec.Changes.Count == 0)
            md.AppendLine("No change to the spec against production.");
        else
        {
            md.AppendLine("| key | production | candidate |");
            md.AppendLine("|---|---|---|");
            foreach (var c in spec.Changes)
                md.AppendLine($"| {MarkdownText.Code(c.Key)} | {SpecValue(c.Before)} | {SpecValue(c.After)} |");
        }
        md.AppendLine();
    }

    private static string SpecValue(string? value) => value is null ? "*(absent)*" : MarkdownText.Escape(value, 200);

    private static void AppendLineage(StringBuilder md, LineageFacts l)
    {
        md.AppendLine("#### Lineage");
        md.AppendLine();
        md.AppendLine($"- base model: {MarkdownText.Code(l.BaseModel.Ref)} sha256 {MarkdownText.Code(l.BaseModel.Sha256)}");
        if (l.AdapterSha256 is not null)
            md.AppendLine($"- adapter sha256: {MarkdownText.Code(l.AdapterSha256)}");
        md.AppendLine($"- spec sha256: {MarkdownText.Code(l.SpecSha256)}");
        md.AppendLine($"- commit: {(l.Commit is null ? "unknown" : MarkdownText.Code(l.Commit))}");
        md.AppendLine($"- parent version: {(l.ParentVersion is null ? "none (first version)" : MarkdownText.Code(l.ParentVersion))}");
        var env = l.Environment;
        md.AppendLine($"- environment: peftops {MarkdownText.Escape(env.Peftops)}, TorchSharp {MarkdownText.Escape(env.Torchsharp)}, "
            + $"libtorch {MarkdownText.Escape(env.Libtorch)}, device {MarkdownText.Escape(env.Device)}, {MarkdownText.Escape(env.Os)}");
        md.AppendLine();
        if (l.Data.Count == 0)
            return;
        md.AppendLine("| data | name | path | rows | sha256 |");
        md.AppendLine("|---|---|---|--:|---|");
        foreach (var d in l.Data)
        {
            md.AppendLine($"| {d.Role.ToString().ToLowerInvariant()} | {MarkdownText.Escape(d.Name)} | {MarkdownText.Code(d.Path)} | "
                + $"{NumberText.Count(d.Rows)} | {MarkdownText.Code(d.Sha256)} |");
        }
        md.AppendLine();
    }

    private static void AppendCost(StringBuilder md, CostFacts? c)
    {
        md.AppendLine("#### Cost");
        md.AppendLine();
        if (c is null)
        {
            md.AppendLine("No training record in the evaluation.");
            md.AppendLine();
            return;
        }
        md.AppendLine($"- training: {Duration(c.Seconds)} on {MarkdownText.Escape(c.Device)}, {NumberText.Count(c.Steps)} steps, "
            + $"{NumberText.Fixed(c.Epochs, 2)} epochs" + (c.BestStep is { } best ? $", best step {NumberText.Count(best)}" : ""));
        md.AppendLine($"- trainable parameters: {NumberText.Count(c.TrainableParams)} of {NumberText.Count(c.TotalParams)} "
            + $"({NumberText.Percent(c.TrainableShare)})");
        md.AppendLine($"- adapter size: {NumberText.Bytes(c.AdapterBytes)}");
        md.AppendLine($"- throughput: {NumberText.Fixed(c.ExamplesPerSecond, 1)} examples/s, {NumberText.Fixed(c.TokensPerSecond, 0)} tokens/s; "
            + $"peak memory {NumberText.Bytes(c.PeakMemoryBytes)}");
        md.AppendLine();
    }

    private static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m {t.Seconds:00}s"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds:00}s"
            : $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)}s";
    }

    private static void AppendLatency(StringBuilder md, LatencySummary? l)
    {
        md.AppendLine("#### Latency");
        md.AppendLine();
        if (l is null)
        {
            md.AppendLine("Not measured.");
            md.AppendLine();
            return;
        }
        md.AppendLine($"Milliseconds per example over {NumberText.Count(l.Examples)} examples.");
        md.AppendLine();
        md.AppendLine("| base model | adapter (unmerged) | adapter (merged) |");
        md.AppendLine("|--:|--:|--:|");
        md.AppendLine($"| {NumberText.Fixed(l.BaseMs, 2)} | {NumberText.Fixed(l.AdapterMs, 2)} | {NumberText.Fixed(l.MergedMs, 2)} |");
        md.AppendLine();
    }
}
