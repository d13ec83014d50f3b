using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes data.json (docs/data-json.md): gate.json's conventions, every key written.</summary>
public static class DataReportJson
{
    private const string What = "data.json";

    public static string Serialize(DataReport report) => JsonSerializer.Serialize(report, EvalJsonOptions.Gate) + "\n";

    public static void Write(string path, DataReport report) => AtomicFile.WriteAllText(path, Serialize(report));

    /// <exception cref="InputException">The file cannot be read or is not a peftops.data/v1 data.json.</exception>
    public static DataReport Read(string path) => Parse(System.Text.Encoding.UTF8.GetString(DocumentJson.ReadBytes(path, What)), path);

    /// <param name="source">names the text in errors.</param>
    public static DataReport Parse(string json, string source)
    {
        var report = DocumentJson.Deserialize<DataReport>(json, EvalJsonOptions.Gate, source, What);
        return report.Schema == DataReport.SchemaId ? report
            : throw new InputException($"{source}: schema is '{report.Schema}', expected '{DataReport.SchemaId}'");
    }
}
