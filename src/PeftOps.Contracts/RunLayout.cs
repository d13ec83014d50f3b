namespace PeftOps.Contracts;

/// <summary>
/// Where the pipeline puts one adapter's files: the run folder <c>artifacts/NAME/</c> that train, evaluate and gate
/// fill (<c>adapter/</c>, <c>eval/eval.json</c>, <c>baseline/</c>, <c>gate/gate.json</c>, <c>gate/report.md</c>,
/// <c>compare/</c>) and the data check's folder <c>artifacts/data-checks/NAME/</c>, outside the run folder because
/// training replaces the run folder whole. Paths are relative to the repository root, with <c>/</c>; the registry
/// reads and writes a run folder by these names, and the build asks <c>peftops paths ADAPTER</c> for them.
/// </summary>
public sealed record RunLayout(string Adapter)
{
    /// <summary>The folder every adapter's run folder sits in.</summary>
    public const string ArtifactsFolder = "artifacts";

    /// <summary>Inside a run folder: the PEFT adapter <c>train</c> writes.</summary>
    public const string AdapterFolder = "adapter";

    /// <summary>Inside a run folder: <c>evaluate</c>'s output folder.</summary>
    public const string EvalFolder = "eval";

    /// <summary>The evaluation's file, in <see cref="EvalFolder"/> and in a pulled or stored version.</summary>
    public const string EvalFile = "eval.json";

    /// <summary>Inside a run folder: the gate's output folder.</summary>
    public const string GateFolder = "gate";

    /// <summary>The gate's machine-readable result, in <see cref="GateFolder"/>.</summary>
    public const string GateFile = "gate.json";

    /// <summary>The gate's report, in <see cref="GateFolder"/>.</summary>
    public const string ReportFile = "report.md";

    /// <summary>Inside a run folder (and the data check's folder): the version in production, pulled to compare with.</summary>
    public const string BaselineFolder = "baseline";

    /// <summary>Inside a run folder: <c>compare</c>'s output folder.</summary>
    public const string CompareFolder = "compare";

    /// <summary><c>adapter/adapter_config.json</c>, <c>eval/eval.json</c>, ...: a file of a run folder, relative to it.</summary>
    public static string InRun(string folder, string file) => $"{folder}/{file}";

    /// <summary><c>artifacts/NAME</c>.</summary>
    public string Run => $"{ArtifactsFolder}/{Adapter}";

    /// <summary><c>artifacts/NAME/adapter</c>.</summary>
    public string AdapterDirectory => $"{Run}/{AdapterFolder}";

    /// <summary><c>artifacts/NAME/eval</c>.</summary>
    public string Eval => $"{Run}/{EvalFolder}";

    /// <summary><c>artifacts/NAME/eval/eval.json</c>.</summary>
    public string EvalJson => $"{Eval}/{EvalFile}";

    /// <summary><c>artifacts/NAME/baseline</c>: the version in production, pulled for the gate.</summary>
    public string Baseline => $"{Run}/{BaselineFolder}";

    /// <summary><c>artifacts/NAME/baseline/eval.json</c>.</summary>
    public string BaselineEvalJson => $"{Baseline}/{EvalFile}";

    /// <summary><c>artifacts/NAME/gate</c>.</summary>
    public string Gate => $"{Run}/{GateFolder}";

    /// <summary><c>artifacts/NAME/gate/gate.json</c>.</summary>
    public string GateJson => $"{Gate}/{GateFile}";

    /// <summary><c>artifacts/NAME/gate/report.md</c>.</summary>
    public string Report => $"{Gate}/{ReportFile}";

    /// <summary><c>artifacts/NAME/compare</c>.</summary>
    public string Compare => $"{Run}/{CompareFolder}";

    /// <summary><c>artifacts/data-checks/NAME</c>: outside the run folder, which training replaces whole.</summary>
    public string DataChecks => $"{ArtifactsFolder}/data-checks/{Adapter}";

    /// <summary><c>artifacts/data-checks/NAME/data.json</c>.</summary>
    public string DataJson => $"{DataChecks}/{DataReport.FileName}";

    /// <summary><c>artifacts/data-checks/NAME/baseline</c>: the version in production, pulled for the data diff.</summary>
    public string DataBaseline => $"{DataChecks}/{BaselineFolder}";

    /// <summary>Every path above by the name <c>peftops paths</c> prints it under (snake case), in this order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Named() =>
    [
        new("run", Run),
        new("adapter", AdapterDirectory),
        new("eval", Eval),
        new("eval_json", EvalJson),
        new("baseline", Baseline),
        new("baseline_eval_json", BaselineEvalJson),
        new("gate", Gate),
        new("gate_json", GateJson),
        new("report", Report),
        new("compare", Compare),
        new("data_checks", DataChecks),
        new("data_json", DataJson),
        new("data_baseline", DataBaseline),
    ];
}
