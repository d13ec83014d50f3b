using System.Text;
using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes eval.json. Reading validates the whole file and throws <see cref="InputException"/>.</summary>
public static class EvaluationReportJson
{
    public static EvaluationReport Read(string path) => Parse(DocumentJson.ReadBytes(path, "eval.json"), path);

    /// <param name="source">the file name used in error messages.</param>
    public static EvaluationReport Parse(string json, string source) =>
        Checked(DocumentJson.Deserialize<EvaluationReport>(json, EvalJsonOptions.Default, source, "eval.json"), source);

    /// <summary>Reads eval.json bytes as stored (UTF-8); <paramref name="source"/> names them in errors.</summary>
    public static EvaluationReport Parse(ReadOnlySpan<byte> utf8, string source) =>
        Checked(DocumentJson.Deserialize<EvaluationReport>(utf8, EvalJsonOptions.Default, source, "eval.json"), source);

    public static string Serialize(EvaluationReport report) =>
        JsonSerializer.Serialize(report, EvalJsonOptions.Default) + "\n";

    public static byte[] SerializeToUtf8Bytes(EvaluationReport report) => Encoding.UTF8.GetBytes(Serialize(report));

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
    public static void Write(string path, EvaluationReport report) => AtomicFile.WriteAllText(path, Serialize(report));

    private static EvaluationReport Checked(EvaluationReport report, string source) =>
        EvaluationReportValidator.FindProblem(report) is { } problem ? throw new InputException($"{source}: {problem}") : report;
}
