using System.Globalization;
using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Evaluation.Comparing;

/// <summary>
/// compare.json from each variant's eval.json and gate.json, as a pure function: a row per variant, the lightest
/// passing variant (fewest trainable parameters, ties by adapter bytes, then by order) and the exit code.
/// </summary>
public static class Comparison
{
    /// <summary>One variant's row: cost from eval.json's training, latency from its latency, metrics from its suites, intervals from the gate's rules.</summary>
    public static ComparedVariant Row(string name, IReadOnlyList<string> set, MethodSpec method, EvaluationReport eval, GateResult gate)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(eval);
        ArgumentNullException.ThrowIfNull(gate);
        var training = eval.Training ?? throw new InputException($"{name}: eval.json has no training section (expected an evaluation of a run trained by peftops train)");
        return new ComparedVariant
        {
            Name = name,
            Set = set,
            Method = MethodSummary(method),
            SpecSha256 = eval.SpecSha256,
            Verdict = gate.Verdict,
            GateExitCode = gate.ExitCode,
            Headline = gate.Headline,
            TrainableParams = training.TrainableParams,
            TotalParams = training.TotalParams,
            AdapterBytes = training.AdapterBytes,
            TrainSeconds = training.Seconds,
            LatencyMs = eval.Latency?.AdapterMs,
            Target = Metrics(eval, gate, SuiteRole.Target),
            NonTarget = Metrics(eval, gate, SuiteRole.NonTarget),
        };
    }

    public static ComparisonReport Report(string adapter, string baseModel, double confidence, IReadOnlyList<ComparedVariant> variants, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var lightest = Lightest(variants);
        return new ComparisonReport
        {
            Adapter = adapter,
            CreatedAt = createdAt,
            BaseModel = baseModel,
            Confidence = confidence,
            LightestPassing = lightest?.Name,
            ExitCode = lightest is not null ? 0 : variants.Any(v => v.GateExitCode == 1) ? 1 : 3,
            Variants = variants,
        };
    }

    /// <summary>The passing variant with the fewest trainable parameters, ties broken by adapter bytes, then by order; null when none passes.</summary>
    public static ComparedVariant? Lightest(IReadOnlyList<ComparedVariant> variants) =>
        variants.Where(v => v.Passes).OrderBy(v => v.TrainableParams).ThenBy(v => v.AdapterBytes).FirstOrDefault();

    /// <summary><c>lora r=4 alpha=8 rslora on query, value, layers 0, 1, bias all</c>: what distinguishes variants.</summary>
    public static string MethodSummary(MethodSpec method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parts = new List<string> { method.Type.ToString().ToLowerInvariant() };
        if (method.Type != MethodType.Ia3)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"r={method.R}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"alpha={method.Alpha:0.###}"));
            if (method.UseRsLora)
                parts.Add("rslora");
        }
        var modules = method.AllLinear ? "all-linear" : method.TargetModulesRegex ?? string.Join(", ", method.TargetModules);
        parts.Add(modules.Length == 0 ? "on no modules" : $"on {modules}");
        if (method.LayersToTransform.Count > 0)
            parts.Add($"layers {string.Join(", ", method.LayersToTransform)}");
        if (method.Bias != BiasMode.None)
            parts.Add($"bias {(method.Bias == BiasMode.All ? "all" : "lora_only")}");
        return string.Join(' ', parts);
    }

    private static List<VariantMetric> Metrics(EvaluationReport eval, GateResult gate, SuiteRole role) =>
        [.. eval.Suites.Where(s => s.Role == role).SelectMany(suite => suite.Adapted.Metrics
            .Where(m => suite.Base.Metrics.ContainsKey(m.Key))
            .Select(m =>
            {
                var rule = gate.Rules.FirstOrDefault(r => r.Suite == suite.Name && r.Metric == $"{suite.Name}.{m.Key}");
                var before = suite.Base.Metrics[m.Key];
                return new VariantMetric
                {
                    Suite = suite.Name,
                    Metric = m.Key,
                    Base = before,
                    Adapted = m.Value,
                    Delta = m.Value - before,
                    Rule = rule?.Kind,
                    CiLow = rule?.CiLow,
                    CiHigh = rule?.CiHigh,
                };
            }))];
}
