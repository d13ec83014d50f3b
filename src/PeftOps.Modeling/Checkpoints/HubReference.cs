using System.Text.Json;
using System.Text.RegularExpressions;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>
/// The base model as Hugging Face can resolve it, for <c>base_model_name_or_path</c> in adapter_config.json (what PEFT's
/// <c>AutoPeftModel.from_pretrained</c> loads the base from): the Hub id of the builtin model, or a checkpoint folder's
/// own <c>_name_or_path</c> from its config.json when that is a Hub id. Never a machine path or a <c>builtin:</c> name,
/// which mean nothing on another machine; the exact local reference stays in eval.json and the lineage.
/// </summary>
public static partial class HubReference
{
    /// <summary>The Hub id <see cref="ModelLoader.BuiltinMiniLm"/> was converted from.</summary>
    public const string BuiltinMiniLm = "sentence-transformers/all-MiniLM-L6-v2";

    /// <returns>The Hub id, or null when the reference names none (PEFT writes null then too).</returns>
    public static string? Of(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference == ModelLoader.BuiltinMiniLm)
            return BuiltinMiniLm;
        if (reference.StartsWith("builtin:", StringComparison.Ordinal))
            return null;
        var config = Path.Combine(reference, "config.json");
        if (!File.Exists(config))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            return doc.RootElement.TryGetProperty("_name_or_path", out var name) && name.ValueKind == JsonValueKind.String
                && name.GetString() is { } id && HubId().IsMatch(id) && !Directory.Exists(id)
                ? id
                : null;
        }
        catch (JsonException)
        {
            return null; // loading the base says what is wrong with it
        }
    }

    /// <summary>A Hub repository id: <c>name</c> or <c>owner/name</c> of letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*(/[A-Za-z0-9][A-Za-z0-9_.\-]*)?$")]
    private static partial Regex HubId();
}
