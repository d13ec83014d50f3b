using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>
/// Writes the <c>gate.json</c> and <c>report.md</c> that <c>peftops gate</c> leaves in its output folder: gate.json is a
/// whole <see cref="GateResult"/> written by Contracts' writer, with the adapter, verdict, conclusion and headline a test varies.
/// </summary>
internal static class GateFolder
{
    public static string Write(string directory, string adapter, Verdict verdict, Conclusion conclusion, string headline, string report)
    {
        Directory.CreateDirectory(directory);
        var eval = ContractDocuments.Eval(adapter, new BaseModelInfo("builtin:all-MiniLM-L6-v2", new string('b', 64)),
            new Dictionary<string, string> { ["method.type"] = "lora", ["method.r"] = "8" },
            [new DataFileInfo(DataRole.Suite, "intents", "data/test.jsonl", new string('d', 64), 4)]);
        var evalSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(EvaluationReportJson.SerializeToUtf8Bytes(eval)));
        GateResultJson.Write(Path.Combine(directory, "gate.json"), ContractDocuments.Gate(eval, verdict, conclusion, headline, evalSha));
        File.WriteAllText(Path.Combine(directory, "report.md"), report);
        return directory;
    }

    public static string Report(string adapter, string text) =>
        $"<!-- peftops:report adapter={adapter} -->\n## support-intents: {text}\n\n| metric | production | candidate |\n|---|---|---|\n| intents.accuracy | 0.91 | 0.93 |\n";
}
