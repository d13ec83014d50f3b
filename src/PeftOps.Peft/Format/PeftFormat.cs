using PeftOps.Contracts;
using PeftOps.Modeling.Layers;
using PeftOps.Peft.Methods;
using TorchSharp.Modules;

namespace PeftOps.Peft.Format;

/// <summary>
/// Every Hugging Face PEFT name in one place: the <c>base_model.model.</c> prefix, the tensor names
/// each method saves (<c>lora_A.weight</c>, <c>lora_B.weight</c>, <c>lora_magnitude_vector</c>,
/// <c>ia3_l</c>, a modules_to_save copy under the module's plain keys), and the names PEFT gives the
/// same parameters in memory (with the adapter name, e.g. <c>lora_A.default.weight</c>); the file names; and,
/// in <c>PeftFormat.Modes.cs</c>, the closed values of the config (<c>all-linear</c>, bias and init modes).
/// </summary>
public static partial class PeftFormat
{
    // declared in Contracts, which Registry can use (it stores these files) and this project cannot replace
    public const string ConfigFileName = PeftFileNames.Config;
    public const string WeightsFileName = PeftFileNames.Weights;
    public const string Prefix = "base_model.model.";

    /// <summary>
    /// The path of <paramref name="fileName"/> (one of PEFT's two files) in the adapter folder <paramref name="directory"/>,
    /// checked as <see cref="PeftConfigFile.Read"/> checks the config.
    /// </summary>
    /// <exception cref="InputException">The file is not there.</exception>
    public static string AdapterFile(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        return File.Exists(path) ? path : throw new InputException($"{path}: not found (a PEFT adapter folder holds {fileName})");
    }

    /// <summary>The tensors an adapter saves, as (suffix after the module name, parameter).</summary>
    public static IEnumerable<(string Suffix, Parameter Parameter)> SavedTensors(LinearAdapter adapter) => adapter switch
    {
        LoraAdapter lora => LoraTensors(lora),
        Ia3Adapter ia3 => [("ia3_l", ia3.Vector)],
        ModulesToSaveAdapter copy => copy.Bias is null ? [("weight", copy.Weight)] : [("weight", copy.Weight), ("bias", copy.Bias)],
        _ => throw new ArgumentException($"unknown adapter type {adapter.GetType().Name}", nameof(adapter)),
    };

    /// <summary><c>base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight</c>.</summary>
    public static string FileKey(string moduleName, string suffix) => $"{Prefix}{moduleName}.{suffix}";

    /// <summary>
    /// PEFT's key (without the prefix) for the bias of a layer it wraps with an adapter: the layer's own
    /// parameters live under <c>base_layer</c>, e.g. <c>bert.encoder.layer.0.attention.self.query.base_layer.bias</c>.
    /// </summary>
    public static string WrappedBiasKey(string moduleName) => $"{moduleName}.base_layer.bias";

    /// <summary>The plain <c>MODULE.bias</c> for a <see cref="WrappedBiasKey"/>; other keys unchanged.</summary>
    public static string UnwrappedBiasKey(string key) =>
        key.EndsWith(".base_layer.bias", StringComparison.Ordinal) ? key[..^".base_layer.bias".Length] + ".bias" : key;

    /// <summary>
    /// Under <c>bias: all</c> PEFT's save keeps every state-dict key holding "bias" (save_and_load.py), and so catches
    /// the two biases inside a <c>ModulesToSaveWrapper</c> besides the copy's own <c>MODULE.bias</c>: the copy's
    /// again as <c>MODULE.modules_to_save.bias</c> (the adapter name removed), which PEFT's load ignores, and the
    /// base layer's as <c>MODULE.original_module.bias</c>, which PEFT's load puts back into the base layer.
    /// Releases that rebuild a wrapper's keys from the wrapper alone write neither.
    /// </summary>
    public static string CopyBiasKey(string moduleName) => $"{moduleName}.modules_to_save.bias";

    /// <inheritdoc cref="CopyBiasKey"/>
    public static string OriginalBiasKey(string moduleName) => $"{moduleName}.original_module.bias";

    /// <summary>PEFT's in-memory parameter name, as its gradients are named in the reference fixtures.</summary>
    public static string MemoryName(LinearAdapter adapter, string moduleName, string suffix, string adapterName) => adapter switch
    {
        ModulesToSaveAdapter => $"{Prefix}{moduleName}.modules_to_save.{adapterName}.{suffix}",
        Ia3Adapter => $"{Prefix}{moduleName}.{suffix}.{adapterName}",
        _ when suffix == "lora_magnitude_vector" => $"{Prefix}{moduleName}.lora_magnitude_vector.{adapterName}.weight",
        _ => $"{Prefix}{moduleName}.{suffix.Replace(".weight", $".{adapterName}.weight", StringComparison.Ordinal)}",
    };

    private static IEnumerable<(string, Parameter)> LoraTensors(LoraAdapter lora)
    {
        yield return ("lora_A.weight", lora.A);
        yield return ("lora_B.weight", lora.B);
        if (lora.Magnitude is not null)
            yield return ("lora_magnitude_vector", lora.Magnitude);
    }
}
