using PeftOps.Contracts;

namespace PeftOps.Registry;

/// <summary>
/// What a RegressionGate run leaves under <c>artifacts/&lt;adapter&gt;/</c>: <c>adapter/adapter_config.json</c>,
/// <c>adapter/adapter_model.safetensors</c>, <c>eval/eval.json</c>, <c>gate/report.md</c>, <c>gate/gate.json</c>, and
/// <c>candidate.json</c> when it was fetched as the reviewed candidate. Loading checks that the bundle belongs
/// together: the adapter is the one eval.json measured, and gate.json was computed from that eval.json.
/// </summary>
public sealed record ReleaseCandidate(
    string Directory,
    IReadOnlyList<CandidateFile> AllFiles,
    EvalFacts Eval,
    string AdapterSha256,
    CandidateRecord? Reviewed)
{
    public const string AdapterWeights = PeftFileNames.Weights;

    /// <summary>Each file of a run folder: its name in the stores and its path in the folder. The release stores the first four.</summary>
    public static IReadOnlyList<(string Name, string RelativePath)> Layout { get; } =
    [
        (PeftFileNames.Config, RunLayout.InRun(RunLayout.AdapterFolder, PeftFileNames.Config)),
        (AdapterWeights, RunLayout.InRun(RunLayout.AdapterFolder, AdapterWeights)),
        (RunLayout.EvalFile, RunLayout.InRun(RunLayout.EvalFolder, RunLayout.EvalFile)),
        (RunLayout.ReportFile, RunLayout.InRun(RunLayout.GateFolder, RunLayout.ReportFile)),
        (RunLayout.GateFile, RunLayout.InRun(RunLayout.GateFolder, RunLayout.GateFile)),
    ];

    /// <summary>The files a released version holds (<see cref="Manifest.ContentFiles"/>).</summary>
    public IReadOnlyList<CandidateFile> Files => [.. AllFiles.Where(f => Manifest.ContentFiles.Contains(f.Name))];

    public static async Task<ReleaseCandidate> LoadAsync(string directory, string adapter, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new InputException($"{directory}: no such folder (expected what a RegressionGate run leaves under artifacts/{adapter}/)");
        var files = new List<CandidateFile>();
        foreach (var (name, relative) in Layout)
            files.Add(new CandidateFile(name, await ReadAsync(directory, relative, cancellationToken).ConfigureAwait(false)));
        byte[] Content(string name) => files.Single(f => f.Name == name).Content;

        var evalFile = Path.Combine(directory, RunLayout.EvalFolder, RunLayout.EvalFile);
        var eval = EvalFacts.Parse(Content(RunLayout.EvalFile), evalFile);
        if (eval.Adapter != adapter)
            throw new InputException($"{evalFile}: adapter is '{eval.Adapter}', expected '{adapter}'");
        var adapterSha = Sha256.Hex(Content(AdapterWeights));
        if (eval.AdapterSha256 != adapterSha)
            throw new InputException(
                $"{evalFile}: adapter_sha256 is {eval.AdapterSha256 ?? "missing"}, but adapter/{AdapterWeights} has sha256 {adapterSha}: this eval.json measured another adapter");

        var gateFile = Path.Combine(directory, RunLayout.GateFolder, RunLayout.GateFile);
        // the whole gate.json is read; here only the two hashes that tie it to this folder matter (its verdict is
        // trusted only once ReleasePolicy has computed it again)
        var gate = GateResultJson.Parse(Content(RunLayout.GateFile), gateFile);
        var evalSha = Sha256.Hex(Content(RunLayout.EvalFile));
        if (gate.Inputs?.CandidateEvalSha256 != evalSha)
            throw new InputException(
                $"{gateFile}: inputs.candidate_eval_sha256 is {gate.Inputs?.CandidateEvalSha256 ?? "missing"}, but eval/eval.json has sha256 {evalSha}: this gate.json was computed from another eval.json (run peftops gate again)");
        if (gate.Lineage.AdapterSha256 != adapterSha)
            throw new InputException($"{gateFile}: lineage.adapter_sha256 is {gate.Lineage.AdapterSha256 ?? "missing"}, but adapter/{AdapterWeights} has sha256 {adapterSha}");

        var recordFile = Path.Combine(directory, CandidateRecord.FileName);
        var reviewed = File.Exists(recordFile)
            ? CandidateRecord.Parse(await File.ReadAllBytesAsync(recordFile, cancellationToken).ConfigureAwait(false), recordFile)
            : null;
        if (reviewed is not null && (!reviewed.Files.TryGetValue(AdapterWeights, out var kept) || kept.Sha256 != adapterSha))
            throw new InputException($"{recordFile}: the reviewed candidate's adapter is not adapter/{AdapterWeights} (sha256 {adapterSha})");
        return new ReleaseCandidate(directory, files, eval, adapterSha, reviewed);
    }

    private static async Task<byte[]> ReadAsync(string directory, string relative, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, relative);
        if (!File.Exists(path))
            throw new InputException($"{path}: missing (a run folder holds {string.Join(", ", Layout.Select(l => l.RelativePath))})");
        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A file of a version as it will be stored: its name in the layout and its bytes.</summary>
public sealed record CandidateFile(string Name, byte[] Content)
{
    public ManifestFile Entry => new(Sha256.Hex(Content), Content.LongLength);
}
