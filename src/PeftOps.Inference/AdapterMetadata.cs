using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft.Format;

namespace PeftOps.Inference;

/// <summary>
/// What an adapter folder says about the model that runs it, from one read of its adapter_model.safetensors header:
/// the classifier's labels (<c>peftops.labels</c>, a JSON array in id order) and calibrated scope (<c>peftops.scope</c>,
/// <see cref="AdapterScope"/>), both metadata PEFT ignores so the folder stays exactly PEFT's two files, and the number
/// of classes of the classifier head it saves (PEFT's <c>modules_to_save</c>), which an adapter saved by HF PEFT has
/// without the labels.
/// </summary>
/// <param name="WeightsPath">The adapter_model.safetensors read, for messages.</param>
/// <param name="Labels">The labels PeftOps saved; null for an adapter without them (HF PEFT's, or one adapting the encoder alone).</param>
/// <param name="Scope">How the adapter refuses out-of-scope input; null when it was trained without a scope.</param>
/// <param name="HeadClasses">The rows of the saved <c>classifier.weight</c>; null when the adapter saves no classifier.</param>
public sealed record AdapterMetadata(string WeightsPath, IReadOnlyList<string>? Labels, AdapterScope? Scope, int? HeadClasses)
{
    public const string LabelsKey = "peftops.labels";

    /// <summary>The classifier head's weight as PEFT saves a <c>modules_to_save</c> copy.</summary>
    private static readonly string HeadKey = PeftFormat.FileKey("classifier", "weight");

    /// <summary>The metadata <c>peftops train</c> writes into adapter_model.safetensors.</summary>
    public static IReadOnlyDictionary<string, string> Entries(IReadOnlyList<string> labels, AdapterScope? scope)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var entries = new Dictionary<string, string> { ["format"] = "pt", [LabelsKey] = JsonSerializer.Serialize(labels) };
        if (scope is not null)
            entries[AdapterScope.MetadataKey] = scope.ToJson();
        return entries;
    }

    /// <exception cref="InputException">No adapter_model.safetensors, a corrupt one, or metadata this version cannot apply.</exception>
    public static AdapterMetadata Read(string adapterDir)
    {
        PeftFormat.AdapterFile(adapterDir, PeftFormat.ConfigFileName); // a folder without it is no adapter: say so first
        var path = PeftFormat.AdapterFile(adapterDir, PeftFormat.WeightsFileName);
        var (metadata, shapes) = SafetensorsFile.ReadHeader(path);
        var labels = metadata.TryGetValue(LabelsKey, out var json) ? ParseLabels(path, json) : null;
        var scope = metadata.TryGetValue(AdapterScope.MetadataKey, out var scopeJson) ? AdapterScope.Parse(path, scopeJson) : null;
        int? classes = shapes.TryGetValue(HeadKey, out var shape) && shape.Length == 2 ? (int)shape[0] : null;
        return new AdapterMetadata(path, labels, scope, classes);
    }

    private static List<string> ParseLabels(string path, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: {LabelsKey} is not a JSON array of label names ({e.Message.Split('.')[0]})", e);
        }
    }
}
