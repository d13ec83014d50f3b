using PeftOps.Contracts;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PeftOps.Peft.Format;

/// <summary>The closed values of <c>adapter_config.json</c>, each read once into a type and written back in PEFT's spelling.</summary>
public static partial class PeftFormat
{
    /// <summary>
    /// <c>target_modules: "all-linear"</c>: every linear layer but the output head. PEFT resolves it when the
    /// adapter is injected and saves the module names it resolved to.
    /// </summary>
    public const string AllLinear = PeftFileNames.AllLinear;

    public static string BiasName(PeftBias bias) => bias switch
    {
        PeftBias.All => "all",
        PeftBias.LoraOnly => "lora_only",
        _ => "none",
    };

    /// <summary>The <c>bias</c> field of <paramref name="path"/>; absent means <c>none</c>.</summary>
    public static PeftBias ParseBias(string path, JsonNode? node) => node switch
    {
        null => PeftBias.None,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
        {
            "none" => PeftBias.None,
            "all" => PeftBias.All,
            "lora_only" => PeftBias.LoraOnly,
            var s => throw new InputException($"{path}: bias '{s}' is not supported (expected none, all or lora_only)"),
        },
        _ => throw new InputException($"{path}: bias must be one of none, all or lora_only (was {node.ToJsonString()})"),
    };

    /// <summary><c>init_lora_weights</c> as PEFT writes it: <c>true</c>, <c>false</c> or <c>"gaussian"</c>.</summary>
    public static JsonNode InitValue(PeftInit init) => init switch
    {
        PeftInit.Gaussian => JsonValue.Create("gaussian"),
        PeftInit.None => JsonValue.Create(false),
        _ => JsonValue.Create(true),
    };

    /// <summary>
    /// The <c>init_lora_weights</c> field of <paramref name="path"/>; absent (as in IA3 configs) means <c>true</c>.
    /// Initialisations that change the base weights (pissa, olora, corda, ...) or need data (eva, loftq) are refused:
    /// such an adapter does not compute what it was trained to on the unchanged base model.
    /// </summary>
    public static PeftInit ParseInit(string path, JsonNode? node) => node switch
    {
        null => PeftInit.Default,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => PeftInit.Default,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => PeftInit.None,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "gaussian" => PeftInit.Gaussian,
        _ => throw new InputException($"{path}: init_lora_weights {node.ToJsonString()} is not supported (expected true, false or \"gaussian\")"),
    };
}
