using System.Text.Json;
using PeftOps.Configuration;

namespace PeftOps.Registry;

/// <summary>
/// What a RegressionGate run leaves under <c>artifacts/&lt;adapter&gt;/</c>: <c>adapter/adapter_config.json</c>,
/// <c>adapter/adapter_model.safetensors</c>, <c>eval/eval.json</c>, <c>gate/report.md</c>, <c>gate/gate.json</c>.
/// </summary>
public sealed record ReleaseCandidate(
    string Directory,
    IReadOnlyList<CandidateFile> Files,
    EvalFacts Eval,
    string GateVerdict)
{
    private static readonly (string Name, string RelativePath)[] Layout =
    [
        ("adapter_config.json", "adapter/adapter_config.json"),
        ("adapter_model.safetensors", "adapter/adapter_model.safetensors"),
        ("eval.json", "eval/eval.json"),
        ("report.md", "gate/report.md"),
    ];

    public static async Task<ReleaseCandidate> LoadAsync(string directory, string adapter, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new InputException($"{directory}: no such folder (expected what a RegressionGate run leaves under artifacts/{adapter}/)");
        var files = new List<CandidateFile>();
        foreach (var (name, relative) in Layout)
            files.Add(new CandidateFile(name, await ReadAsync(directory, relative, cancellationToken).ConfigureAwait(false)));

        var evalFile = Path.Combine(directory, "eval", "eval.json");
        var eval = EvalFacts.Parse(files[2].Content, evalFile);
        if (eval.Adapter != adapter)
            throw new InputException($"{evalFile}: adapter is '{eval.Adapter}', expected '{adapter}'");

        var gateFile = Path.Combine(directory, "gate", "gate.json");
        var verdict = ReadVerdict(await ReadAsync(directory, "gate/gate.json", cancellationToken).ConfigureAwait(false), gateFile);
        return new ReleaseCandidate(directory, files, eval, verdict);
    }

    private static async Task<byte[]> ReadAsync(string directory, string relative, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, relative);
        if (!File.Exists(path))
            throw new InputException($"{path}: missing (a release needs adapter/adapter_config.json, adapter/adapter_model.safetensors, eval/eval.json, gate/report.md, gate/gate.json)");
        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    private static string ReadVerdict(byte[] json, string file)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("verdict", out var verdict)
                && verdict.ValueKind == JsonValueKind.String
                && verdict.GetString() is "pass" or "fail" or "inconclusive")
                return verdict.GetString()!;
            var found = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("verdict", out var v) ? v.GetRawText() : "nothing";
            throw new InputException($"{file}: verdict is {found}, expected \"pass\", \"fail\" or \"inconclusive\"");
        }
        catch (JsonException e)
        {
            throw new InputException($"{file}: not valid JSON ({e.Message})", e);
        }
    }
}
