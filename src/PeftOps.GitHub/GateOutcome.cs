using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.GitHub;

/// <summary>
/// What the GitHub side needs from <c>gate.json</c> (written by <c>peftops gate</c>): the adapter,
/// the verdict (pass | fail | inconclusive), the check run conclusion (success | failure | neutral)
/// and a one-line headline. Read with <see cref="JsonDocument"/> so this boundary depends on the
/// file, not on the evaluation library's types.
/// </summary>
public sealed record GateOutcome(string Adapter, string Verdict, CheckConclusionKind Conclusion, string Headline)
{
    private static readonly string[] Verdicts = ["pass", "fail", "inconclusive"];

    public static GateOutcome Load(string gateJsonPath)
    {
        if (!File.Exists(gateJsonPath))
            throw new InputException($"{gateJsonPath}: file not found (expected the gate.json written by 'peftops gate')");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(gateJsonPath));
        }
        catch (JsonException e)
        {
            throw new InputException($"{gateJsonPath}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InputException($"{gateJsonPath}: expected a JSON object (was {root.ValueKind})");
            var adapter = RequiredString(root, "adapter", gateJsonPath);
            var verdict = RequiredString(root, "verdict", gateJsonPath);
            if (!Verdicts.Contains(verdict, StringComparer.Ordinal))
                throw new InputException($"{gateJsonPath}: verdict must be pass, fail or inconclusive (was '{verdict}')");
            var conclusion = RequiredString(root, "conclusion", gateJsonPath) switch
            {
                "success" => CheckConclusionKind.Success,
                "failure" => CheckConclusionKind.Failure,
                "neutral" => CheckConclusionKind.Neutral,
                var other => throw new InputException($"{gateJsonPath}: conclusion must be success, failure or neutral (was '{other}')"),
            };
            var headline = RequiredString(root, "headline", gateJsonPath);
            return new GateOutcome(adapter, verdict, conclusion, headline.ReplaceLineEndings(" ").Trim());
        }
    }

    private static string RequiredString(JsonElement root, string key, string path)
    {
        if (!root.TryGetProperty(key, out var value))
            throw new InputException($"{path}: key '{key}' is missing");
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new InputException($"{path}: key '{key}' must be a non-empty string (was {value.GetRawText()})");
        return value.GetString()!;
    }
}
