using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes eval.json. Reading validates the whole file and throws <see cref="InputException"/>.</summary>
public static class EvaluationReportJson
{
    public static EvaluationReport Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read eval.json ({e.Message})", e);
        }
        return Parse(text, path);
    }

    /// <param name="source">the file name used in error messages.</param>
    public static EvaluationReport Parse(string json, string source)
    {
        EvaluationReport? report;
        try
        {
            report = JsonSerializer.Deserialize<EvaluationReport>(json, EvalJsonOptions.Default);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $":{line + 1}" : "";
            throw new InputException($"{source}{where}: not a valid eval.json: {e.Message}", e);
        }
        if (report is null)
            throw new InputException($"{source}: not a valid eval.json: the file holds null, expected an object");
        var problem = EvaluationReportValidator.FindProblem(report);
        if (problem is not null)
            throw new InputException($"{source}: {problem}");
        return report;
    }

    public static string Serialize(EvaluationReport report) =>
        JsonSerializer.Serialize(report, EvalJsonOptions.Default) + "\n";

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
    public static void Write(string path, EvaluationReport report) => AtomicFile.WriteAllText(path, Serialize(report));
}
