using PeftOps.Contracts;
using System.Text.Json;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft.Format;

namespace PeftOps.Training;

/// <summary>
/// A classifier adapter's labels travel in its adapter_model.safetensors metadata (<c>peftops.labels</c>, a JSON
/// array in id order), which PEFT ignores, so the adapter folder stays exactly PEFT's two files.
/// </summary>
public static class AdapterLabels
{
    public const string MetadataKey = "peftops.labels";

    public static IReadOnlyDictionary<string, string> Metadata(IReadOnlyList<string> labels) =>
        new Dictionary<string, string> { ["format"] = "pt", [MetadataKey] = JsonSerializer.Serialize(labels) };

    public static IReadOnlyList<string> Read(string adapterDir)
    {
        var path = Path.Combine(adapterDir, PeftFormat.WeightsFileName);
        var file = SafetensorsFile.Read(path);
        if (!file.Metadata.TryGetValue(MetadataKey, out var json))
            throw new InputException($"{path}: no {MetadataKey} in its metadata (expected an adapter trained by peftops train)");
        return JsonSerializer.Deserialize<List<string>>(json) ?? [];
    }
}
