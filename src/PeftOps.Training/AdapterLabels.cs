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

    public static IReadOnlyList<string> Read(string adapterDir) =>
        TryRead(adapterDir) ?? throw new InputException(
            $"{Path.Combine(adapterDir, PeftFormat.WeightsFileName)}: no {MetadataKey} in its metadata (expected an adapter trained by peftops train)");

    /// <summary>The labels, or null for an adapter without them (one that adapts the encoder alone).</summary>
    public static IReadOnlyList<string>? TryRead(string adapterDir)
    {
        var file = SafetensorsFile.Read(Path.Combine(adapterDir, PeftFormat.WeightsFileName));
        return file.Metadata.TryGetValue(MetadataKey, out var json) ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : null;
    }
}
