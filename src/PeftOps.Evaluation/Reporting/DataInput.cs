using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;

namespace PeftOps.Evaluation.Reporting;

/// <summary>What the gate reads about the data: the data.json <c>peftops data check</c> wrote and the spec's <c>data_checks</c>.</summary>
public sealed record DataInput(string DataJsonPath, DataChecksSpec Rules)
{
    /// <summary>The rules judged on the file (<see cref="DataRules"/>); a file for another adapter is an <see cref="InputException"/>.</summary>
    public DataGateFacts Judge(string adapterName)
    {
        var bytes = File.Exists(DataJsonPath) ? File.ReadAllBytes(DataJsonPath) : throw new InputException($"{DataJsonPath}: not found (expected the data.json of peftops data check)");
        var report = DataReportJson.Parse(System.Text.Encoding.UTF8.GetString(bytes), DataJsonPath);
        if (!string.Equals(report.Adapter, adapterName, StringComparison.Ordinal))
            throw new InputException($"{DataJsonPath}: adapter is '{report.Adapter}', expected '{adapterName}'");
        return DataRules.Judge(Rules, report.Checks, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), report.Diff);
    }
}
