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
    public GatePolicy Gate { get; init; } = new();

    /// <summary>The folder holding adapter.yaml (absolute); not part of the YAML.</summary>
    public string Directory { get; init; } = "";

    /// <summary>The path of adapter.yaml as given (for messages); not part of the YAML.</summary>
    public string SourcePath { get; init; } = "";

    public string Resolve(string relativePath) => Path.GetFullPath(Path.Combine(Directory, relativePath));
}
