using System.Text.Json;

namespace PeftOps.ServingBenchmark;

/// <summary>The <c>text</c> of each line of a JSONL file (an adapter's test set).</summary>
internal static class Texts
{
    public static IReadOnlyList<string> Read(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!)];
}
