using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft.Format;

namespace PeftOps.Training.Scope;

/// <summary>Reads an adapter folder's calibrated <see cref="AdapterScope"/> from its adapter_model.safetensors metadata.</summary>
public static class AdapterScopes
{
    public static string MethodName(ScopeMethod method) => method == ScopeMethod.OosClass ? "oos-class" : "softmax";

    /// <summary>The adapter's scope, or null when it was trained without one.</summary>
    /// <exception cref="InputException">The metadata is there but not a scope this version can apply.</exception>
    public static AdapterScope? Read(string adapterDir)
    {
        var path = Path.Combine(adapterDir, PeftFormat.WeightsFileName);
        return SafetensorsFile.Read(path).Metadata.TryGetValue(AdapterScope.MetadataKey, out var json)
            ? AdapterScope.Parse(path, json)
            : null;
    }
}
