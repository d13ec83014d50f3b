using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Layers;
using PeftOps.Peft.Format;
using PeftOps.Peft.Methods;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Peft;

/// <summary>
/// A base model with named PEFT adapters attached. Adapters are injected into the model's
/// <see cref="AdaptableLinear"/> layers; the base weights stay frozen; one adapter is active at a time
/// and switching is instant (the base is loaded once). Bias training (<c>bias: all | lora_only</c>)
/// trains the base model's own biases, so such an adapter cannot share a base with others.
/// </summary>
public sealed class PeftModel
{
    private readonly Dictionary<string, PeftAdapterConfig> configs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Module, LinearAdapter Adapter)>> injected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Name, Parameter Parameter)>> trainedBiases = new(StringComparer.Ordinal);

    public PeftModel(TransformerModel baseModel)
    {
        Base = baseModel;
        foreach (var p in baseModel.Module.parameters())
            p.requires_grad = false;
    }

    public TransformerModel Base { get; }
    public string? ActiveAdapter { get; private set; }
    public IReadOnlyDictionary<string, PeftAdapterConfig> Adapters => configs;

    /// <summary>Injects a freshly initialised adapter (PEFT's init, drawn from <paramref name="generator"/>) and activates it.</summary>
    /// <param name="source">Where the config came from, for messages (<c>adapters/x/adapter.yaml:4</c>).</param>
    public PeftAdapterConfig AddAdapter(string name, PeftAdapterConfig config, Generator generator, string source = "adapter config") =>
        Inject(name, config, source, (module, adapter, layer) =>
        {
            if (adapter is LoraAdapter lora)
                lora.Initialize(layer, generator, gaussianA: config.InitLoraWeights == PeftInit.Gaussian, zeroB: config.InitLoraWeights != PeftInit.None);
        });

    /// <summary>Loads a PEFT adapter folder (adapter_config.json + adapter_model.safetensors) under <paramref name="name"/>.</summary>
    public (PeftAdapterConfig Config, IReadOnlyList<string> Warnings) LoadAdapter(string directory, string name)
    {
        var configPath = Path.Combine(directory, PeftFormat.ConfigFileName);
        var weightsPath = Path.Combine(directory, PeftFormat.WeightsFileName);
        var (config, warnings) = PeftConfigFile.Read(configPath);
        if (!File.Exists(weightsPath))
            throw new InputException($"{weightsPath}: not found (a PEFT adapter folder holds {PeftFormat.WeightsFileName})");
        var tensors = Modeling.Safetensors.SafetensorsTorch.Load(weightsPath);
        try
        {
            var plan = Plan(config, configPath);
            var (biases, missingBiases) = SavedBiases(config, plan, tensors, weightsPath);
            var wrapperBiases = WrapperBiases(config, plan);
            CheckWeights(plan, config, tensors, biases, wrapperBiases, weightsPath);
            Inject(name, config, configPath, (module, adapter, layer) =>
            {
                using var _ = no_grad();
                foreach (var (suffix, parameter) in PeftFormat.SavedTensors(adapter))
                    parameter.copy_(tensors[PeftFormat.FileKey(module, suffix)]);
            }, plan);
            using (no_grad())
            {
                foreach (var (key, parameter) in trainedBiases.GetValueOrDefault(name) ?? [])
                {
                    if (biases.TryGetValue(key, out var fileKey) && fileKey is not null)
                        parameter.copy_(tensors[fileKey]);
                }
                foreach (var (fileKey, bias, loads) in wrapperBiases)
                {
                    if (loads && tensors.TryGetValue(fileKey, out var tensor))
                        bias.copy_(tensor);
                }
            }
            return (config, missingBiases is null ? warnings : [.. warnings, missingBiases]);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    public void SetAdapter(string? name)
    {
        if (name is not null && !configs.ContainsKey(name))
            throw new InputException($"adapter '{name}' is not loaded (loaded: {string.Join(", ", configs.Keys)})");
        // Checked before any layer switches, so a refused switch leaves every layer as it was.
        var (mergedModule, mergedLayer) = Base.LinearLayers().FirstOrDefault(l => l.Layer.MergedAdapter is { } m && m != name);
        if (mergedLayer is not null)
            throw new InvalidOperationException($"adapter '{mergedLayer.MergedAdapter}' is merged into {mergedModule}: unmerge it before switching");
        foreach (var (_, layer) in Base.LinearLayers())
            layer.Activate(name);
        ActiveAdapter = name;
        foreach (var (adapter, list) in injected)
        {
            foreach (var (_, a) in list)
            {
                foreach (var p in a.parameters())
                    p.requires_grad = adapter == name;
            }
        }
    }

    /// <summary>The active adapter's trainable parameters, with PEFT's in-memory names.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters()
    {
        if (ActiveAdapter is null)
            return [];
        var result = new List<(string, Parameter)>();
        foreach (var (module, adapter) in injected[ActiveAdapter])
        {
            foreach (var (suffix, parameter) in PeftFormat.SavedTensors(adapter))
                result.Add((PeftFormat.MemoryName(adapter, module, suffix, ActiveAdapter), parameter));
        }
        foreach (var (name, parameter) in trainedBiases.GetValueOrDefault(ActiveAdapter) ?? [])
            result.Add((PeftFormat.Prefix + name, parameter));
        return result;
    }

    /// <summary>Trainable parameters of the active adapter, and all parameters of base plus active adapter.</summary>
    public (long Trainable, long Total) ParameterCounts()
    {
        var trainable = TrainableParameters().Sum(p => p.Parameter.numel());
        var baseCount = Base.Module.parameters().Sum(p => p.numel()) - injected.Values.SelectMany(l => l).Sum(a => a.Adapter.parameters().Sum(p => p.numel()));
        var biasCount = (ActiveAdapter is null ? [] : trainedBiases.GetValueOrDefault(ActiveAdapter) ?? []).Sum(b => b.Parameter.numel());
        return (trainable, baseCount + trainable - biasCount);
    }

    /// <summary>Writes the active adapter in PEFT's format: adapter_config.json and adapter_model.safetensors.</summary>
    /// <param name="metadata">safetensors metadata; PEFT's own is <c>{"format": "pt"}</c>.</param>
    public void SaveAdapter(string directory, string? name = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        name ??= ActiveAdapter ?? throw new InvalidOperationException("no adapter is active");
        Directory.CreateDirectory(directory);
        var tensors = new List<(string, Tensor)>();
        foreach (var (module, adapter) in injected[name])
        {
            foreach (var (suffix, parameter) in PeftFormat.SavedTensors(adapter))
                tensors.Add((PeftFormat.FileKey(module, suffix), parameter.detach().cpu().contiguous()));
        }
        foreach (var (paramName, parameter) in trainedBiases.GetValueOrDefault(name) ?? [])
            tensors.Add((PeftFormat.Prefix + paramName, parameter.detach().cpu().contiguous()));
        Modeling.Safetensors.SafetensorsTorch.Save(Path.Combine(directory, PeftFormat.WeightsFileName), tensors,
            metadata ?? new Dictionary<string, string> { ["format"] = "pt" });
        PeftConfigFile.Write(Path.Combine(directory, PeftFormat.ConfigFileName), configs[name]);
    }

    /// <summary>Folds the active adapter into the base weights; refused where the merge could not be undone exactly.</summary>
    public void Merge()
    {
        if (ActiveAdapter is null)
            return;
        foreach (var (module, adapter) in injected[ActiveAdapter])
        {
            var layer = Layer(module);
            if (!adapter.CanMerge(layer, out var reason))
                throw new InputException($"adapter '{ActiveAdapter}' cannot be merged into {module}: {reason}");
        }
        foreach (var (module, _) in injected[ActiveAdapter])
            Layer(module).Merge();
    }

    public void Unmerge()
    {
        foreach (var (_, layer) in Base.LinearLayers())
            layer.Unmerge();
    }

    private AdaptableLinear Layer(string module) => Base.LinearLayers().First(l => l.Name == module).Layer;

    private PeftAdapterConfig Inject(string name, PeftAdapterConfig config, string source,
        Action<string, LinearAdapter, AdaptableLinear> fill, List<Placement>? plan = null)
    {
        if (configs.ContainsKey(name))
            throw new InputException($"adapter '{name}' is already loaded");
        var (mergedModule, mergedLayer) = Base.LinearLayers().FirstOrDefault(l => l.Layer.MergedAdapter is not null);
        if (mergedLayer is not null)
            throw new InvalidOperationException($"adapter '{mergedLayer.MergedAdapter}' is merged into {mergedModule}: unmerge it before adding another");
        if (config.Bias != PeftBias.None || configs.Values.Any(c => c.Bias != PeftBias.None))
        {
            if (configs.Count > 0)
                throw new InputException($"{source}: bias training changes the base model's biases, so this adapter cannot share a base model with others (bias: {PeftFormat.BiasName(config.Bias)})");
        }
        plan ??= Plan(config, source);
        config = Resolve(config, plan);
        var list = new List<(string, LinearAdapter)>();
        foreach (var placement in plan)
        {
            var adapter = Create(config, placement);
            placement.Layer.Attach(name, adapter);
            fill(placement.Module, adapter, placement.Layer);
            list.Add((placement.Module, adapter));
        }
        configs[name] = config;
        injected[name] = list;
        trainedBiases[name] = BiasParameters(config, plan);
        SetAdapter(name);
        foreach (var (_, parameter) in trainedBiases[name])
            parameter.requires_grad = true;
        return config;
    }

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

    // Named as PEFT names them: a wrapped layer's bias under its base_layer, any other bias by its own path.
    private List<(string, Parameter)> BiasParameters(PeftAdapterConfig config, List<Placement> plan) => config.Bias switch
    {
        PeftBias.All => BaseBiases(plan),
        PeftBias.LoraOnly => plan.Where(p => !p.SaveWholeModule && p.Layer.bias is not null).Select(p => (PeftFormat.WrappedBiasKey(p.Module), p.Layer.bias!)).ToList(),
        _ => [],
    };

    // Every bias of the base model itself: not the adapters' own parameters, and not the heads that
    // modules_to_save replaces (their copies carry their own bias).
    private List<(string, Parameter)> BaseBiases(List<Placement> plan)
    {
        var adapterParameters = Base.LinearLayers().SelectMany(l => l.Layer.Adapters.Values).SelectMany(a => a.parameters())
            .ToHashSet(ReferenceEqualityComparer.Instance);
        var replaced = plan.Where(p => p.SaveWholeModule).Select(p => p.Module + ".bias").ToHashSet(StringComparer.Ordinal);
        var wrapped = plan.Where(p => !p.SaveWholeModule).Select(p => p.Module + ".bias").ToHashSet(StringComparer.Ordinal);
        return Base.Module.named_parameters()
            .Where(p => p.name.EndsWith("bias", StringComparison.Ordinal) && !adapterParameters.Contains(p.parameter) && !replaced.Contains(p.name))
            .Select(p => (wrapped.Contains(p.name) ? PeftFormat.WrappedBiasKey(p.name[..^".bias".Length]) : p.name, p.parameter)).ToList();
    }

    /// <summary>
    /// Where each trained bias is in the file: under PEFT's key, or under the plain module key PeftOps wrote
    /// before it followed PEFT there. PEFT up to 0.19 trained <c>lora_only</c> biases but did not save them
    /// (huggingface/peft#3306), so for <c>lora_only</c> a missing bias keeps the base model's, with a warning.
    /// </summary>
    private (Dictionary<string, string?> FileKeys, string? Warning) SavedBiases(PeftAdapterConfig config, List<Placement> plan, IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (key, _) in BiasParameters(config, plan))
        {
            var fileKey = new[] { key, PeftFormat.UnwrappedBiasKey(key) }.Select(k => PeftFormat.Prefix + k).FirstOrDefault(tensors.ContainsKey);
            if (fileKey is null)
            {
                if (config.Bias != PeftBias.LoraOnly)
                    throw new InputException($"{path}: tensor '{PeftFormat.Prefix + key}' is missing (the adapter config trains that bias: bias {PeftFormat.BiasName(config.Bias)})");
                missing.Add(key);
            }
            found[key] = fileKey;
        }
        var warning = missing.Count == 0 ? null
            : $"{path}: bias lora_only but no trained bias for {string.Join(", ", missing)} (PEFT up to 0.19 did not save them); the base model's biases are used";
        return (found, warning);
    }

    /// <summary>
    /// The biases inside a modules_to_save wrapper that PEFT may have saved besides the copy's own under <c>bias: all</c>
    /// (<see cref="PeftFormat.CopyBiasKey"/>): file key, the base-layer bias whose shape it has, and whether PEFT's load
    /// puts it there (<c>original_module.bias</c>) or ignores it (<c>modules_to_save.bias</c>, the copy's bias again).
    /// </summary>
    private static List<(string FileKey, Parameter Bias, bool Loads)> WrapperBiases(PeftAdapterConfig config, List<Placement> plan) =>
        config.Bias != PeftBias.All ? [] : plan.Where(p => p.SaveWholeModule && p.Layer.bias is not null)
            .SelectMany(p => new[]
            {
                (PeftFormat.Prefix + PeftFormat.CopyBiasKey(p.Module), p.Layer.bias!, false),
                (PeftFormat.Prefix + PeftFormat.OriginalBiasKey(p.Module), p.Layer.bias!, true),
            }).ToList();

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
