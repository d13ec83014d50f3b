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
public sealed partial class PeftModel
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
        var (config, warnings) = PeftConfigFile.Read(configPath);
        var weightsPath = PeftFormat.AdapterFile(directory, PeftFormat.WeightsFileName);
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
            // A new module starts in training mode; the adapter joins the model's mode instead, so an adapter loaded into a
            // model in eval mode (inference) applies no dropout.
            adapter.train(Base.Module.training);
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
}
