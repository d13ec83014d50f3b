using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes compare.json (docs/compare-json.md).</summary>
public static class ComparisonReportJson
{
    public static string Serialize(ComparisonReport report) => JsonSerializer.Serialize(report, EvalJsonOptions.Gate) + "\n";

    public static void Write(string path, ComparisonReport report) => AtomicFile.WriteAllText(path, Serialize(report));

    public static ComparisonReport Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read compare.json ({e.Message})", e);
        }
        return Parse(json, path);
    }

    /// <summary>Reads compare.json text; <paramref name="source"/> names it in errors.</summary>
    public static ComparisonReport Parse(string json, string source)
    {
        try
        {
            var report = JsonSerializer.Deserialize<ComparisonReport>(json, EvalJsonOptions.Gate)
                ?? throw new InputException($"{source}: not a valid compare.json: the file holds null, expected an object");
            return report.Schema == ComparisonReport.SchemaId ? report
                : throw new InputException($"{source}: schema is '{report.Schema}', expected '{ComparisonReport.SchemaId}'");
        }
        catch (JsonException e)
        {
            throw new InputException($"{source}: not a valid compare.json: {e.Message}", e);
        }
    }
}
