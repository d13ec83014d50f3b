namespace PeftOps.Contracts;

/// <summary>
/// <c>eval.json</c> (schema <c>peftops.eval/v1</c>): one adapter's evaluation, base model and adapted model
/// on the same examples. Written by the evaluator, read by the gate; see docs/eval-json.md.
/// </summary>
public sealed record EvaluationReport
{
    public const string SchemaId = "peftops.eval/v1";

    public string Schema { get; init; } = SchemaId;
    public required string Adapter { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required BaseModelInfo BaseModel { get; init; }
    public string? AdapterSha256 { get; init; }
    public required string SpecSha256 { get; init; }

    /// <summary>adapter.yaml flattened to dotted keys (<c>method.r</c> -> <c>"8"</c>, lists as <c>key[0]</c>).</summary>
    public required IReadOnlyDictionary<string, string> Spec { get; init; }

    public required IReadOnlyList<DataFileInfo> Data { get; init; }
    public required EnvironmentInfo Environment { get; init; }
    public required LineageInfo Lineage { get; init; }
    public TrainingSummary? Training { get; init; }
    public LatencySummary? Latency { get; init; }

    /// <summary>
    /// The labels, in id order, of the classifier the adapter saves, as this evaluation named its classes: the adapter's
    /// own, a <c>--labels</c> file's, or the base config's <c>id2label</c>. Null when the adapter saves no classifier.
    /// A released version travels with its eval.json, so the server names an HF PEFT adapter's classes with these.
    /// </summary>
    public IReadOnlyList<string>? ClassLabels { get; init; }

    public required IReadOnlyList<SuiteResult> Suites { get; init; }
}

/// <param name="Ref"><c>builtin:all-MiniLM-L6-v2</c> or a checkpoint folder.</param>
/// <param name="Sha256">hash of the base model's weights.</param>
public sealed record BaseModelInfo(string Ref, string Sha256);

/// <summary>One data file the evaluation depended on: training data, validation data or a suite's data.</summary>
public sealed record DataFileInfo(DataRole Role, string Name, string Path, string Sha256, int Rows);

/// <summary>Versions and device the evaluation ran with (<c>device</c>: <c>cpu</c>, <c>cuda:0</c>, ...).</summary>
public sealed record EnvironmentInfo(string Peftops, string Torchsharp, string Libtorch, string Device, string Os);

/// <param name="Commit">git commit of the adapter folder, when known.</param>
/// <param name="ParentVersion">the registered version this one was trained to replace (<c>v1.2.0</c>), when any.</param>
public sealed record LineageInfo(string? Commit = null, string? ParentVersion = null);

/// <summary>Milliseconds per example over <see cref="Examples"/> examples: base model, adapter unmerged, adapter merged.</summary>
public sealed record LatencySummary(int Examples, double BaseMs, double AdapterMs, double MergedMs);
