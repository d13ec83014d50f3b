using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PeftOps.Contracts;

/// <summary>Reads and writes train.json: snake_case keys, indented, every key written (absent values as null).</summary>
public static class TrainRunJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { JsonKeyOrderAttribute.Apply } },
    };

    public static string Serialize(TrainRun run) => JsonSerializer.Serialize(run, Options);

    /// <summary>Writes through a temporary file and a rename.</summary>
    public static void Write(string path, TrainRun run) => AtomicFile.WriteAllText(path, Serialize(run));

    /// <exception cref="InputException">The file cannot be read or is not a train.json.</exception>
    public static TrainRun Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read train.json ({e.Message})", e);
        }
    }

    /// <param name="source">the file name used in error messages.</param>
    public static TrainRun Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainRun>(json, Options)
                ?? throw new InputException($"{source}: not a valid train.json: the file holds null, expected an object");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $":{line + 1}" : "";
            throw new InputException($"{source}{where}: not a valid train.json: {e.Message}", e);
        }
    }
}
