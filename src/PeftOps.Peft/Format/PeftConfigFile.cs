using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeftOps.Contracts;

namespace PeftOps.Peft.Format;

/// <summary>
/// Reads and writes PEFT's <c>adapter_config.json</c>. Fields PeftOps does not know are kept (and
/// reported as warnings), so a foreign file survives a round trip; a field PeftOps cannot honour is an error.
/// </summary>
public static class PeftConfigFile
{
    public const string PeftVersion = "0.21.0";

    // Every field PEFT 0.21 writes for LoRA and IA3 (LoraConfig / IA3Config asdict).
    private static readonly string[] LoraDefaults =
    [
        "alora_invocation_tokens", "arrow_config", "auto_mapping", "base_model_name_or_path", "corda_config",
        "eva_config", "exclude_modules", "kasa_config", "layer_replication", "layers_pattern", "layers_to_transform",
        "lora_ga_config", "megatron_config", "modules_to_save", "monteclora_config", "revision", "target_parameters",
        "trainable_token_indices", "use_bdlora", "velora_config",
    ];

    private static readonly HashSet<string> Known =
    [
        .. LoraDefaults, "alpha_pattern", "bias", "ensure_weight_tying", "fan_in_fan_out", "inference_mode",
        "init_lora_weights", "loftq_config", "lora_alpha", "lora_bias", "lora_dropout", "megatron_core", "peft_type",
        "peft_version", "qalora_group_size", "r", "rank_pattern", "target_modules", "task_type", "use_dora",
        "use_qalora", "use_rslora", "feedforward_modules", "init_ia3_weights",
    ];

    /// <returns>The config, and one warning per field PeftOps does not know.</returns>
    public static (PeftAdapterConfig Config, IReadOnlyList<string> Warnings) Read(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"{path}: not found (a PEFT adapter folder holds {PeftFormat.ConfigFileName})");
        var text = File.ReadAllText(path);
        using (JsonInput.Parse(path, text))
        {
            // checked: strict JSON, every string valid UTF-16
        }
        var raw = JsonNode.Parse(text, documentOptions: JsonInput.Strict) as JsonObject
            ?? throw new InputException($"{path}: expected a JSON object");
        var f = new Fields(path, raw);
        var peftType = f.String("peft_type") ?? throw new InputException($"{path}: peft_type missing (expected LORA or IA3)");
        var method = peftType switch
        {
            "LORA" => PeftMethod.Lora,
            "IA3" => PeftMethod.Ia3,
            _ => throw new InputException($"{path}: peft_type '{peftType}' is not supported (expected LORA or IA3)"),
        };
        if (f.Bool("fan_in_fan_out") == true)
            throw new InputException($"{path}: fan_in_fan_out true is not supported (expected false: PeftOps models use nn.Linear layouts)");
        if (f.Bool("lora_bias") == true)
            throw new InputException($"{path}: lora_bias true is not supported (expected false)");
        if (raw["layer_replication"] is JsonArray)
            throw new InputException($"{path}: layer_replication is not supported (expected null)");
        var (targets, regex) = f.Targets("target_modules");
        var config = new PeftAdapterConfig
        {
            Method = method,
            R = f.Int("r") ?? 8,
            LoraAlpha = f.Double("lora_alpha") ?? 8,
            LoraDropout = f.Double("lora_dropout") ?? 0,
            UseRsLora = f.Bool("use_rslora") ?? false,
            UseDora = f.Bool("use_dora") ?? false,
            InitLoraWeights = PeftFormat.ParseInit(path, raw["init_lora_weights"]),
            TargetModules = targets,
            TargetModulesRegex = regex == PeftFormat.AllLinear ? null : regex,
            AllLinear = regex == PeftFormat.AllLinear,
            FeedforwardModules = f.Targets("feedforward_modules").List,
            ModulesToSave = f.StringList("modules_to_save"),
            Bias = PeftFormat.ParseBias(path, raw["bias"]),
            LayersToTransform = raw["layers_to_transform"] switch
            {
                JsonArray a => a.Select(n => f.Integer("layers_to_transform", n)).ToList(),
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => [f.Integer("layers_to_transform", v)],
                _ => [],
            },
            LayersPattern = raw["layers_pattern"] switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonArray { Count: > 0 } a => f.Strings("layers_pattern", a)[0],
                _ => null,
            },
            RankPattern = f.Map("rank_pattern", n => f.Integer("rank_pattern", n)),
            AlphaPattern = f.Map("alpha_pattern", n => f.Number("alpha_pattern", n)),
            TaskType = f.String("task_type"),
            BaseModelNameOrPath = f.String("base_model_name_or_path"),
            Raw = raw,
        };
        if (config.R <= 0)
            throw new InputException($"{path}: r must be > 0 (was {config.R})");
        var warnings = raw.Select(kv => kv.Key).Where(k => !Known.Contains(k)).Order(StringComparer.Ordinal)
            .Select(k => $"{path}: field '{k}' is not known to PeftOps; kept as it is").ToList();
        return (config, warnings);
    }

    /// <summary>Writes the config as PEFT does (sorted keys, indent 2, no trailing newline), atomically.</summary>
    public static void Write(string path, PeftAdapterConfig config)
    {
        AtomicFile.WriteAllText(path, PythonJson.Serialize(ToJson(config)));
    }

    public static JsonObject ToJson(PeftAdapterConfig c)
    {
        // Start from the file's own fields so that unknown ones (and number spellings) survive.
        var o = c.Raw?.DeepClone().AsObject() ?? Fresh(c.Method);
        o["peft_type"] = c.Method == PeftMethod.Lora ? "LORA" : "IA3";
        o["task_type"] = c.TaskType;
        o["base_model_name_or_path"] = c.BaseModelNameOrPath;
        SetNames(o, "target_modules", c.TargetModules, c.AllLinear ? PeftFormat.AllLinear : c.TargetModulesRegex);
        SetNames(o, "modules_to_save", c.ModulesToSave, null, nullWhenEmpty: true);
        if (c.Method == PeftMethod.Ia3)
        {
            SetNames(o, "feedforward_modules", c.FeedforwardModules, null);
            return o;
        }
        SetNumber(o, "r", c.R);
        SetNumber(o, "lora_alpha", c.LoraAlpha);
        SetFloat(o, "lora_dropout", c.LoraDropout);
        o["use_rslora"] = c.UseRsLora;
        o["use_dora"] = c.UseDora;
        o["bias"] = PeftFormat.BiasName(c.Bias);
        o["init_lora_weights"] = PeftFormat.InitValue(c.InitLoraWeights);
        o["layers_to_transform"] = c.LayersToTransform.Count == 0 ? null : new JsonArray(c.LayersToTransform.Select(i => (JsonNode)i).ToArray());
        o["layers_pattern"] = c.LayersPattern;
        o["rank_pattern"] = new JsonObject(c.RankPattern.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        o["alpha_pattern"] = new JsonObject(c.AlphaPattern.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Number(kv.Value))));
        return o;
    }

    private static JsonObject Fresh(PeftMethod method)
    {
        var o = new JsonObject { ["peft_version"] = PeftVersion, ["inference_mode"] = true, ["fan_in_fan_out"] = false, ["revision"] = null };
        if (method == PeftMethod.Ia3)
        {
            o["auto_mapping"] = null;
            o["exclude_modules"] = null;
            o["init_ia3_weights"] = true;
            return o;
        }
        foreach (var key in LoraDefaults)
            o[key] = null;
        o["ensure_weight_tying"] = false;
        o["loftq_config"] = new JsonObject();
        o["lora_bias"] = false;
        o["megatron_core"] = "megatron.core";
        o["qalora_group_size"] = 16;
        o["use_qalora"] = false;
        return o;
    }

    // PEFT stores module names as sets, so their order in a file is arbitrary: an unchanged set keeps the file's order.
    private static void SetNames(JsonObject o, string key, IReadOnlyList<string> names, string? regex, bool nullWhenEmpty = false)
    {
        if (regex is not null)
        {
            o[key] = regex;
            return;
        }
        if (o[key] is JsonArray existing && existing.Select(n => n!.GetValue<string>()).ToHashSet().SetEquals(names))
            return;
        o[key] = nullWhenEmpty && names.Count == 0 ? null : Array(names);
    }

    // Keep the file's spelling of a number when the value is unchanged (8 vs 8.0).
    private static void SetNumber(JsonObject o, string key, double value)
    {
        if (o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() == value)
            return;
        o[key] = Number(value);
    }

    private static void SetFloat(JsonObject o, string key, double value)
    {
        if (o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() == value)
            return;
        o[key] = PythonJson.Float(value);
    }

    private static JsonNode Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : PythonJson.Float(value);

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(s => (JsonNode)s!).ToArray());

    private sealed record Fields(string Path, JsonObject Raw)
    {
        /// <summary>Every item of <paramref name="items"/> as a string: PEFT writes module names as lists of strings.</summary>
        public List<string> Strings(string key, JsonArray items) =>
            items.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                ? items.Select(n => n!.GetValue<string>()).ToList()
                : throw new InputException($"{Path}: {key} must be a list of strings (was {items.ToJsonString()})");

        /// <summary>A whole number that fits an int, as PEFT writes layer indices and ranks.</summary>
        public int Integer(string key, JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)
                ? i
                : throw new InputException($"{Path}: {key} must hold integers (was {node?.ToJsonString() ?? "null"})");

        public double Number(string key, JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture)
                : throw new InputException($"{Path}: {key} must hold numbers (was {node?.ToJsonString() ?? "null"})");

        public string? String(string key) => Raw[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

        public bool? Bool(string key) => Raw[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

        public int? Int(string key) => Raw[key] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => i,
            var n => throw new InputException($"{Path}: {key} must be an integer (was {n.ToJsonString()})"),
        };

        public double? Double(string key) => Raw[key] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
            var n => throw new InputException($"{Path}: {key} must be a number (was {n.ToJsonString()})"),
        };

        public IReadOnlyList<string> StringList(string key) => Raw[key] switch
        {
            null => [],
            JsonArray a => Strings(key, a),
            var n => throw new InputException($"{Path}: {key} must be a list of strings (was {n.ToJsonString()})"),
        };

        public (IReadOnlyList<string> List, string? Regex) Targets(string key) => Raw[key] switch
        {
            null => ([], null),
            JsonArray a => (Strings(key, a).Order(StringComparer.Ordinal).ToList(), null),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => ([], v.GetValue<string>()),
            var n => throw new InputException($"{Path}: {key} must be a list of module names or a regular expression (was {n.ToJsonString()})"),
        };

        public IReadOnlyDictionary<string, T> Map<T>(string key, Func<JsonNode?, T> read) => Raw[key] switch
        {
            null => new Dictionary<string, T>(),
            JsonObject o => o.ToDictionary(kv => kv.Key, kv => read(kv.Value)),
            var n => throw new InputException($"{Path}: {key} must be an object (was {n.ToJsonString()})"),
        };
    }
}
