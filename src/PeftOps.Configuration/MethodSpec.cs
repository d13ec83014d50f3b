namespace PeftOps.Configuration;

public enum MethodType
{
    Lora,
    Dora,
    Ia3,
}

public enum BiasMode
{
    None,
    All,
    LoraOnly,
}

public enum LoraInit
{
    /// <summary>PEFT's default: A kaiming-uniform, B zero.</summary>
    Default,
    Gaussian,
    /// <summary>PEFT's <c>init_lora_weights=False</c>: both random, the adapter changes outputs from step 0.</summary>
    None,
}

/// <summary>The PEFT method and where it is injected.</summary>
/// <param name="TargetModules">Module-name suffixes, or (when <see cref="TargetModulesRegex"/> is set) ignored.</param>
/// <param name="TargetModulesRegex">A regular expression matched against full module names, as PEFT does when target_modules is a string.</param>
public sealed record MethodSpec
{
    public MethodType Type { get; init; } = MethodType.Lora;
    public int R { get; init; } = 8;
    public double Alpha { get; init; } = 16;
    public double Dropout { get; init; }
    public bool UseRsLora { get; init; }
    public LoraInit Init { get; init; } = LoraInit.Default;
    public IReadOnlyList<string> TargetModules { get; init; } = ["query", "value"];
    public string? TargetModulesRegex { get; init; }
    public bool AllLinear { get; init; }
    public IReadOnlyList<string> FeedforwardModules { get; init; } = [];
    public IReadOnlyList<string> ModulesToSave { get; init; } = [];
    public BiasMode Bias { get; init; } = BiasMode.None;
    public IReadOnlyList<int> LayersToTransform { get; init; } = [];
    public IReadOnlyDictionary<string, int> RankPattern { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, double> AlphaPattern { get; init; } = new Dictionary<string, double>();
}
