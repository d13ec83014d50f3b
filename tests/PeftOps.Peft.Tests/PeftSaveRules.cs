using PeftOps.Peft.Methods;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// The file PEFT's <c>get_peft_model_state_dict</c> writes for a LoRA adapter, built from PEFT's own naming rules
/// (peft/utils/save_and_load.py and <c>ModulesToSaveWrapper</c> in peft/utils/other.py), spelled out here and not
/// taken from PeftOps:
/// <list type="number">
/// <item>PEFT's in-memory state dict: a LoRA-wrapped layer keeps its parameters under <c>MODULE.base_layer.</c> and
/// adds <c>MODULE.lora_A.default.weight</c>, <c>MODULE.lora_B.default.weight</c> (DoRA:
/// <c>MODULE.lora_magnitude_vector.default.weight</c>); a modules_to_save layer becomes a wrapper holding
/// <c>MODULE.original_module.*</c> and its trainable copy <c>MODULE.modules_to_save.default.*</c>; every key starts
/// with <c>base_model.model.</c>.</item>
/// <item>Selection by <c>bias</c>: none keeps keys holding "lora_"; all keeps keys holding "lora_" or "bias";
/// lora_only keeps the "lora_" keys and each wrapped layer's <c>base_layer.bias</c>.</item>
/// <item>Each modules_to_save wrapper adds its copy under the module's plain keys (<c>MODULE.weight</c>,
/// <c>MODULE.bias</c>). Releases with the substring filter only add them (<see cref="Generation.SubstringFilter"/>);
/// later ones first drop every selected key under the wrapper (<see cref="Generation.WrapperKeysRebuilt"/>).</item>
/// <item>DoRA's <c>lora_magnitude_vector.default.weight</c> loses its <c>.weight</c>; then the adapter name goes: a
/// trailing <c>.default</c>, or <c>.default</c> right before the last segment.</item>
/// </list>
/// </summary>
internal static class PeftSaveRules
{
    public const string AdapterName = "default";

    public enum Generation
    {
        SubstringFilter,
        WrapperKeysRebuilt,
    }

    /// <summary>The tensors PEFT would save for <paramref name="peft"/>'s adapter <see cref="AdapterName"/> under <paramref name="bias"/>.</summary>
    public static Dictionary<string, Tensor> Save(PeftModel peft, string bias, Generation generation)
    {
        var state = InMemory(peft);
        var selected = bias switch
        {
            "none" => state.Where(kv => kv.Key.Contains("lora_", StringComparison.Ordinal)).ToDictionary(),
            "all" => state.Where(kv => kv.Key.Contains("lora_", StringComparison.Ordinal) || kv.Key.Contains("bias", StringComparison.Ordinal)).ToDictionary(),
            "lora_only" => LoraOnly(state),
            _ => throw new ArgumentException(bias, nameof(bias)),
        };
        foreach (var wrapper in Wrappers(peft))
        {
            var name = Reference.Prefix + wrapper;
            if (generation == Generation.WrapperKeysRebuilt)
            {
                foreach (var stale in selected.Keys.Where(k => k.StartsWith(name + ".", StringComparison.Ordinal)).ToList())
                    selected.Remove(stale);
            }
            var copyPrefix = $"{name}.modules_to_save.{AdapterName}.";
            foreach (var (key, value) in state.Where(kv => kv.Key.StartsWith(copyPrefix, StringComparison.Ordinal)))
                selected[$"{name}.{key[copyPrefix.Length..]}"] = value;
        }
        return selected.ToDictionary(kv => RemoveAdapterName(kv.Key), kv => kv.Value);
    }

    private static Dictionary<string, Tensor> LoraOnly(Dictionary<string, Tensor> state)
    {
        var selected = new Dictionary<string, Tensor>();
        foreach (var (key, value) in state.Where(kv => kv.Key.Contains("lora_", StringComparison.Ordinal)))
        {
            selected[key] = value;
            var bias = key[..key.IndexOf("lora_", StringComparison.Ordinal)] + "base_layer.bias";
            if (state.TryGetValue(bias, out var b))
                selected[bias] = b;
        }
        return selected;
    }

    private static string RemoveAdapterName(string key)
    {
        var dora = $"lora_magnitude_vector.{AdapterName}.weight";
        if (key.EndsWith(dora, StringComparison.Ordinal))
            key = key[..^".weight".Length];
        if (key.EndsWith("." + AdapterName, StringComparison.Ordinal))
            return key[..^(AdapterName.Length + 1)];
        var dot = key.LastIndexOf('.');
        var (head, leaf) = (key[..dot], key[(dot + 1)..]);
        return (head.EndsWith("." + AdapterName, StringComparison.Ordinal) ? head[..^(AdapterName.Length + 1)] : head) + "." + leaf;
    }

    private static IEnumerable<string> Wrappers(PeftModel peft) =>
        peft.Base.LinearLayers().Where(l => l.Layer.Adapters.TryGetValue(AdapterName, out var a) && a is ModulesToSaveAdapter).Select(l => l.Name);

    /// <summary>PEFT's <c>model.state_dict()</c> for the adapted model, as PEFT names it.</summary>
    private static Dictionary<string, Tensor> InMemory(PeftModel peft)
    {
        var layers = peft.Base.LinearLayers().ToDictionary(l => l.Name, l => l.Layer);
        var adapterParameters = layers.Values.SelectMany(l => l.Adapters.Values).SelectMany(a => a.parameters()).ToHashSet(ReferenceEqualityComparer.Instance);
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, parameter) in peft.Base.Module.named_parameters().Where(p => !adapterParameters.Contains(p.parameter)))
        {
            var dot = name.LastIndexOf('.');
            var (module, leaf) = (name[..dot], name[(dot + 1)..]);
            var adapter = layers.TryGetValue(module, out var layer) ? layer.Adapters.GetValueOrDefault(AdapterName) : null;
            switch (adapter)
            {
                case ModulesToSaveAdapter copy:
                    state[$"{Reference.Prefix}{module}.original_module.{leaf}"] = parameter;
                    state[$"{Reference.Prefix}{module}.modules_to_save.{AdapterName}.{leaf}"] = leaf == "weight" ? copy.Weight : copy.Bias!;
                    break;
                case LoraAdapter lora:
                    state[$"{Reference.Prefix}{module}.base_layer.{leaf}"] = parameter;
                    if (leaf != "weight")
                        break;
                    state[$"{Reference.Prefix}{module}.lora_A.{AdapterName}.weight"] = lora.A;
                    state[$"{Reference.Prefix}{module}.lora_B.{AdapterName}.weight"] = lora.B;
                    if (lora.Magnitude is not null)
                        state[$"{Reference.Prefix}{module}.lora_magnitude_vector.{AdapterName}.weight"] = lora.Magnitude;
                    break;
                default:
                    state[Reference.Prefix + name] = parameter;
                    break;
            }
        }
        return state;
    }
}
