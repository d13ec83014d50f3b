using System.Text.Json;

namespace PeftOps.GitHub.Tests;

/// <summary>Writes the <c>gate.json</c> and <c>report.md</c> that <c>peftops gate</c> leaves in its output folder.</summary>
internal static class GateFolder
{
    public static string Write(string directory, string adapter, string verdict, string conclusion, string headline, string report)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "gate.json"), JsonSerializer.Serialize(new { adapter, verdict, conclusion, headline, rules = Array.Empty<object>() }));
        File.WriteAllText(Path.Combine(directory, "report.md"), report);
        return directory;
    }

    public static string Report(string adapter, string text) =>
        $"<!-- peftops:report adapter={adapter} -->\n## support-intents: {text}\n\n| metric | production | candidate |\n|---|---|---|\n| intents.accuracy | 0.91 | 0.93 |\n";
}
