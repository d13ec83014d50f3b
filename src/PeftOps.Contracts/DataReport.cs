namespace PeftOps.Contracts;

/// <summary>
/// What <c>peftops data check</c> found in an adapter's data before training: <c>data.json</c>, schema
/// <c>peftops.data/v1</c> (docs/data-json.md). The gate reads it for the spec's <c>data_checks</c> rules.
/// </summary>
public sealed record DataReport
{
    public const string SchemaId = "peftops.data/v1";
    public const string FileName = "data.json";
    public const string MarkdownFileName = "data.md";

    public string Schema { get; init; } = SchemaId;
    public required string Adapter { get; init; }

    /// <summary><c>sequence-classification</c> or <c>causal-lm</c>, as adapter.yaml spells it.</summary>
    public required string Task { get; init; }

    public required string BaseModel { get; init; }
    public required DataCheckSettings Settings { get; init; }

    /// <summary>Every data file the spec names, in the order the spec names them.</summary>
    public required IReadOnlyList<DataSplit> Splits { get; init; }

    /// <summary>One line per check: whether it ran, how many findings, and why not when it could not run.</summary>
    public required IReadOnlyList<DataCheckSummary> Checks { get; init; }

    /// <summary>Groups of rows with one normalised text: kind <c>within</c> (one split), <c>across</c> (splits other than training and an evaluation suite), <c>leakage</c> (training and an evaluation suite).</summary>
    public IReadOnlyList<RowGroup> Duplicates { get; init; } = [];

    /// <summary>Groups of rows with one normalised text and more than one label (kind <c>conflict</c>).</summary>
    public IReadOnlyList<RowGroup> Conflicts { get; init; } = [];

    /// <summary>Groups of in-scope rows whose normalised text is also an out-of-scope message (kind <c>scope</c>).</summary>
    public IReadOnlyList<RowGroup> ScopeOverlap { get; init; } = [];

    /// <summary>Labels with fewer than <c>settings.min_label_count</c> rows in a split.</summary>
    public IReadOnlyList<LabelCount> RareLabels { get; init; } = [];

    /// <summary>Labels of an evaluation split that training never saw.</summary>
    public IReadOnlyList<LabelCount> UnseenLabels { get; init; } = [];

    /// <summary>Per labelled split: the largest and the smallest label count and their ratio.</summary>
    public IReadOnlyList<SplitImbalance> Imbalance { get; init; } = [];

    /// <summary>Training and evaluation rows whose base-model embeddings have cosine at or above the threshold (exact duplicates left out: they are leakage).</summary>
    public IReadOnlyList<NearDuplicate> NearDuplicates { get; init; } = [];

    /// <summary>Training rows confident learning flags as likely mislabelled, most likely first.</summary>
    public IReadOnlyList<LabelIssue> LabelErrors { get; init; } = [];

    /// <summary>causal-lm: rows whose response is cut by <c>task.max_length</c> tokens.</summary>
    public IReadOnlyList<DataRow> TruncatedResponses { get; init; } = [];

    /// <summary>causal-lm: rows whose response is empty or only whitespace.</summary>
    public IReadOnlyList<DataRow> EmptyResponses { get; init; } = [];

    /// <summary>Against the baseline version's data, when a baseline was given.</summary>
    public DataDiff? Diff { get; init; }
}

/// <param name="Method">how label errors are chosen from the confident joint (<c>prune_by_noise_rate</c>).</param>
/// <param name="Dtype">the dtype the base model embedded the texts in: <c>float32</c> or <c>bf16</c>.</param>
public sealed record DataCheckSettings(double NearDuplicateThreshold, int MinLabelCount, int Folds, int Seed, string Method, string Dtype = "float32");

/// <param name="Role"><c>train</c>, <c>validation</c>, <c>evaluation</c> (a suite) or <c>out_of_scope</c>.</param>
/// <param name="Labels">rows per label, ordinal order; empty for unlabelled data.</param>
public sealed record DataSplit(string Name, string Role, string Path, string Sha256, int Rows, IReadOnlyDictionary<string, int> Labels);

/// <param name="Status"><c>pass</c> (nothing found), <c>found</c>, or <c>not-run</c> (with <see cref="Reason"/>).</param>
public sealed record DataCheckSummary(string Name, string Status, int Count, string? Reason)
{
    public const string Pass = "pass";
    public const string Found = "found";
    public const string NotRun = "not-run";
}

/// <summary>One row of a data file: its split, 1-based line, text (a causal-lm row: its prompt) and label (null when unlabelled).</summary>
public sealed record DataRow(string Split, int Line, string Text, string? Label);

/// <param name="Key">the normalised text the rows share.</param>
public sealed record RowGroup(string Kind, string Key, IReadOnlyList<DataRow> Rows);

public sealed record LabelCount(string Split, string Label, int Count);

public sealed record SplitImbalance(string Split, string Largest, int LargestCount, string Smallest, int SmallestCount, double Ratio);

public sealed record NearDuplicate(DataRow Train, DataRow Evaluation, double Cosine);

/// <param name="Probability">the out-of-fold probability of <see cref="Suggested"/>.</param>
/// <param name="GivenProbability">the out-of-fold probability of the given label.</param>
public sealed record LabelIssue(DataRow Row, string Suggested, double Probability, double GivenProbability);
