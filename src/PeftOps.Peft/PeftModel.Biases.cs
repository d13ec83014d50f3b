using PeftOps.Contracts;
using PeftOps.Peft.Format;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Peft;

// Bias training (bias: all | lora_only): which biases train, and where PEFT keeps them in the file.
public sealed partial class PeftModel
{
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
    /// before it followed PEFT there. PEFT up to 0.19 trained lora_only biases but did not save them
    /// (huggingface/peft#3306), so for lora_only a missing bias keeps the base model's, with a warning.
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
    /// The biases inside a modules_to_save wrapper that PEFT may have saved besides the copy's own under bias: all
    /// (<see cref="PeftFormat.CopyBiasKey"/>): file key, the base-layer bias whose shape it has, and whether PEFT's load
    /// puts it there (original_module.bias</c>) or ignores it (<c>modules_to_save.bias, the copy's bias again).
    /// </summary>
    private static List<(string FileKey, Parameter Bias, bool Loads)> WrapperBiases(PeftAdapterConfig config, List<Placement> plan) =>
        config.Bias != PeftBias.All ? [] : plan.Where(p => p.SaveWholeModule && p.Layer.bias is not null)
            .SelectMany(p => new[]
            {
                (PeftFormat.Prefix + PeftFormat.CopyBiasKey(p.Module), p.Layer.bias!, false),
                (PeftFormat.Prefix + PeftFormat.OriginalBiasKey(p.Module), p.Layer.bias!, true),
            }).ToList();
}
