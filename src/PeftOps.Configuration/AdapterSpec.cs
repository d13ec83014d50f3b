
namespace PeftOps.Configuration;

/// <summary>
/// An adapter's spec, <c>adapters/&lt;name&gt;/adapter.yaml</c>, validated once at load.
/// Relative data paths are resolved against <see cref="Directory"/>.
/// </summary>
public sealed record AdapterSpec
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public string Owner { get; init; } = "";
    public string BaseModel { get; init; } = "builtin:all-MiniLM-L6-v2";
    public TaskSpec Task { get; init; } = new();
    public MethodSpec Method { get; init; } = new();
    public required DataSpec Data { get; init; }
    public TrainingSpec Training { get; init; } = new();
    public EvaluationSpec Evaluation { get; init; } = new();
    /// <summary>What the classifier answers and what it refuses; null: no declared scope (every input gets a label).</summary>
    public ScopeSpec? Scope { get; init; }
    public GatePolicy Gate { get; init; } = new();
    /// <summary>What <c>peftops data check</c> looks for and the gate's rules on it.</summary>
    public DataChecksSpec DataChecks { get; init; } = new();
    /// <summary>The variants <c>peftops compare</c> trains beside this spec; not used by training.</summary>
    public CompareSpec Compare { get; init; } = new();

    /// <summary>The folder holding adapter.yaml (absolute); not part of the YAML.</summary>
    public string Directory { get; init; } = "";

    /// <summary>The path of adapter.yaml as given (for messages); not part of the YAML.</summary>
    public string SourcePath { get; init; } = "";

    /// <summary>Where each key path was set (<c>file:line</c> or <c>--set key</c>); not part of the YAML.</summary>
    public IReadOnlyDictionary<string, string> Locations { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Where <paramref name="keyPath"/> was set, else its nearest enclosing key, else line 1 of the file: how a message
    /// about a key checked after load (against the base model, say) names file and line.
    /// </summary>
    public string Locate(string keyPath)
    {
        for (var p = keyPath; p.Length > 0; p = SpecReadContext.Parent(p))
        {
            if (Locations.TryGetValue(p, out var location))
                return location;
        }
        return $"{SourcePath}:1";
    }

    public string Resolve(string relativePath) => Path.GetFullPath(Path.Combine(Directory, relativePath));
}

/// <param name="Train">Training data (JSONL or CSV with text,label; JSONL prompt,response for causal LMs).</param>
/// <param name="Validation">Validation data for early stopping and out-of-scope calibration.</param>
public sealed record DataSpec
{
    public required string Train { get; init; }
    public string? Validation { get; init; }
}
