using PeftOps.Contracts;

namespace PeftOps.Registry;

/// <summary>
/// What the registry keeps from an evaluator's <c>eval.json</c> (<c>adapter</c>, <c>base_model</c>, <c>spec_sha256</c>,
/// <c>spec</c>, <c>data</c>, <c>environment</c>, <c>lineage</c>, <c>adapter_sha256</c>), read with Contracts'
/// <see cref="EvaluationReportJson"/>; a version's lineage tag records the same facts without the spec keys.
/// </summary>
public sealed record EvalFacts(
    string Adapter,
    BaseModelReference BaseModel,
    string? SpecSha256,
    IReadOnlyDictionary<string, string> Spec,
    IReadOnlyList<DataHash> Data,
    ToolVersions Tools,
    string? Commit,
    string? ParentVersion,
    string? AdapterSha256 = null)
{
    /// <summary>Reads and checks the whole eval.json; anything that is not one is an <see cref="InputException"/> naming <paramref name="file"/>.</summary>
    public static EvalFacts Parse(ReadOnlySpan<byte> json, string file) => From(EvaluationReportJson.Parse(json, file));

    public static EvalFacts From(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new EvalFacts(
            report.Adapter,
            new BaseModelReference(report.BaseModel.Ref, report.BaseModel.Sha256),
            report.SpecSha256,
            report.Spec,
            [.. report.Data.Select(d => new DataHash(DataRoles.Name(d.Role), d.Name, d.Path, d.Sha256, d.Rows))],
            new ToolVersions(report.Environment.Peftops, report.Environment.Torchsharp, report.Environment.Libtorch),
            report.Lineage.Commit,
            report.Lineage.ParentVersion,
            report.AdapterSha256);
    }
}
