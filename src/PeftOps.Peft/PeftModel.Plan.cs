using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Layers;
using PeftOps.Peft.Format;
using PeftOps.Peft.Methods;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Peft;

// Which layers an adapter config places what on, and whether a file's tensors fit that plan.
public sealed partial class PeftModel
{
    private sealed record Placement(string Module, AdaptableLinear Layer, bool SaveWholeModule, int R, double Alpha, bool Feedforward);

    /// <summary>Which layers get what, decided before anything is attached, so a bad adapter changes nothing.</summary>
    private List<Placement> Plan(PeftAdapterConfig config, string source)
    {
        var layers = Base.LinearLayers().ToList();
        var allLinear = config.AllLinear;
        var outputHead = Base.Architecture == ModelArchitecture.LlamaCausalLm ? "lm_head" : "classifier";
        var plan = new List<Placement>();
        foreach (var (module, layer) in layers)
        {
            if (config.ModulesToSave.Any(m => module.EndsWith(m, StringComparison.Ordinal)))
            {
                plan.Add(new Placement(module, layer, true, 0, 0, false));
                continue;
            }
            var targeted = allLinear
                ? module != outputHead && TargetMatcher.IsTarget(config with { TargetModulesRegex = null, TargetModules = [module] }, module)
                : TargetMatcher.IsTarget(config, module);
            if (!targeted)
                continue;
            var r = TargetMatcher.TryMatchPattern(config.RankPattern, module, out var pr) ? pr : config.R;
            var alpha = TargetMatcher.TryMatchPattern(config.AlphaPattern, module, out var pa) ? pa : config.LoraAlpha;
            var ff = TargetMatcher.MatchesSuffix(config.FeedforwardModules, module);
            plan.Add(new Placement(module, layer, false, r, alpha, ff));
        }
        if (!plan.Any(p => !p.SaveWholeModule))
        {
            var suffixes = layers.Select(l => l.Name.Split('.')[^1]).Distinct().Order(StringComparer.Ordinal);
            var wanted = config.AllLinear ? PeftFormat.AllLinear : config.TargetModulesRegex ?? string.Join(", ", config.TargetModules);
            throw new InputException($"{source}: target_modules [{wanted}] match no linear layer of the base model (its layers end in: {string.Join(", ", suffixes)})");
        }
        return plan;
    }

    // all-linear is saved as the full names of the modules it resolved to, as PEFT (0.15 and later) does;
    // layers_to_transform still applies to them.
    private static PeftAdapterConfig Resolve(PeftAdapterConfig config, List<Placement> plan) =>
        !config.AllLinear ? config : config with
        {
            AllLinear = false,
            TargetModulesRegex = null,
            TargetModules = plan.Where(p => !p.SaveWholeModule).Select(p => p.Module).Order(StringComparer.Ordinal).ToList(),
        };

    private static LinearAdapter Create(PeftAdapterConfig config, Placement p)
    {
        if (p.SaveWholeModule)
            return new ModulesToSaveAdapter(p.Layer);
        if (config.Method == PeftMethod.Ia3)
            return new Ia3Adapter(p.Layer.InFeatures, p.Layer.OutFeatures, p.Feedforward);
        return new LoraAdapter(p.Layer.InFeatures, p.Layer.OutFeatures, p.R, config.Scaling(p.R, p.Alpha), config.LoraDropout, config.UseDora);
    }


    private void CheckWeights(List<Placement> plan, PeftAdapterConfig config, IReadOnlyDictionary<string, Tensor> tensors,
        Dictionary<string, string?> biases, List<(string FileKey, Parameter Bias, bool Loads)> optional, string path)
    {
        var expected = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var p in plan)
        {
            using var probe = Create(config, p);
            foreach (var (suffix, parameter) in PeftFormat.SavedTensors(probe))
                expected[PeftFormat.FileKey(p.Module, suffix)] = parameter.shape;
        }
        foreach (var (key, parameter) in BiasParameters(config, plan))
        {
            if (biases[key] is { } fileKey)
                expected[fileKey] = parameter.shape;
        }
        foreach (var (key, shape) in expected)
        {
            if (!tensors.TryGetValue(key, out var t))
                throw new InputException($"{path}: tensor '{key}' is missing (the adapter config targets that module)");
            if (!t.shape.SequenceEqual(shape))
                throw new InputException($"{path}: tensor '{key}' has shape [{string.Join(", ", t.shape)}] but the base model needs [{string.Join(", ", shape)}]");
        }
        foreach (var (key, bias, _) in optional)
        {
            if (tensors.TryGetValue(key, out var t) && !t.shape.SequenceEqual(bias.shape))
                throw new InputException($"{path}: tensor '{key}' has shape [{string.Join(", ", t.shape)}] but the base model needs [{string.Join(", ", bias.shape)}]");
        }
        var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k) && !optional.Any(o => o.FileKey == k)).ToList();
        if (unexpected.Count > 0)
            throw new InputException($"{path}: tensor '{unexpected[0]}' does not fit the base model (no such module, or not targeted by the adapter config){(unexpected.Count > 1 ? $"; and {unexpected.Count - 1} more" : "")}");
    }
}
