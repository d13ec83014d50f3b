using System.Text.Json.Nodes;

namespace PeftOps.Peft.Format;

/// <summary>
/// An adapter's configuration with the meaning of PEFT's <c>adapter_config.json</c> (LoRA, rsLoRA, DoRA, IA3).
/// <see cref="Raw"/> keeps the file's own fields, including ones PeftOps does not know, so a foreign
/// file is written back as it came.
/// </summary>
public sealed record PeftAdapterConfig
{
    public PeftMethod Method { get; init; } = PeftMethod.Lora;
    public int R { get; init; } = 8;
    public double LoraAlpha { get; init; } = 8;
    public double LoraDropout { get; init; }
    public bool UseRsLora { get; init; }
    public bool UseDora { get; init; }
    /// <summary>PEFT's init_lora_weights: true, "gaussian" or false.</summary>
    public PeftInit InitLoraWeights { get; init; } = PeftInit.Default;
    public IReadOnlyList<string> TargetModules { get; init; } = [];
    /// <summary>A regular expression PEFT full-matches against module names, when target_modules is a string.</summary>
    public string? TargetModulesRegex { get; init; }
    /// <summary>
    /// target_modules is <c>all-linear</c> (<see cref="PeftFormat.AllLinear"/>): every linear layer but the output head.
    /// Resolved into <see cref="TargetModules"/> when the adapter is injected, as PEFT does.
    /// </summary>
    public bool AllLinear { get; init; }
    public IReadOnlyList<string> FeedforwardModules { get; init; } = [];
    public IReadOnlyList<string> ModulesToSave { get; init; } = [];
    public PeftBias Bias { get; init; } = PeftBias.None;
    public IReadOnlyList<int> LayersToTransform { get; init; } = [];
    public string? LayersPattern { get; init; }
    public IReadOnlyDictionary<string, int> RankPattern { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, double> AlphaPattern { get; init; } = new Dictionary<string, double>();
    /// <summary>SEQ_CLS, CAUSAL_LM, FEATURE_EXTRACTION, or null.</summary>
    public string? TaskType { get; init; }
    public string? BaseModelNameOrPath { get; init; }
    public JsonObject? Raw { get; init; }

    /// <summary>alpha / r, or alpha / sqrt(r) for rsLoRA (Kalajdzievski 2023).</summary>
    public double Scaling(int r, double alpha) => UseRsLora ? alpha / Math.Sqrt(r) : alpha / r;
}

/// <summary>Hugging Face PEFT's <c>peft_type</c> values that PeftOps computes (DoRA is LoRA with <c>use_dora</c>).</summary>
public enum PeftMethod
{
    Lora,
    Ia3,
}
