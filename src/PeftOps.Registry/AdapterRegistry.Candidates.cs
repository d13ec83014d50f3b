using PeftOps.Contracts;


namespace PeftOps.Registry;

public sealed partial class AdapterRegistry
{
    /// <summary>
    /// Keeps a gated run folder as the reviewed candidate for <paramref name="inputs"/>, under
    /// <c>candidates/&lt;adapter&gt;/&lt;address&gt;/</c>: every file by its sha256, then <c>candidate.json</c> last and once.
    /// Only creates, never replaces, so a job with create-only rights can do it. Running it again finishes a
    /// stopped run; a different candidate already kept for the same inputs is kept, and this one is refused.
    /// </summary>
    /// <param name="reviewedCommit">the commit reviewers saw (a pull request's head); null: the one eval.json records.</param>
    public async Task<CandidateRecord> KeepCandidateAsync(
        string adapter, CandidateInputs inputs, string fromDirectory, string? reviewed, CancellationToken cancellationToken, string? reviewedCommit = null)
    {
        CheckName(adapter, "adapter");
        ArgumentNullException.ThrowIfNull(inputs);
        var run = await ReleaseCandidate.LoadAsync(fromDirectory, adapter, cancellationToken).ConfigureAwait(false);
        CheckInputs(run, inputs, Path.Combine(fromDirectory, "eval", "eval.json"));

        var recordKey = CandidateKey(adapter, inputs.Address, CandidateRecord.FileName);
        if (await ReadCandidateAsync(adapter, inputs.Address, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            if (kept.Files[ReleaseCandidate.AdapterWeights].Sha256 == run.AdapterSha256)
                return kept;
            throw new InputException(
                $"{Store.Location}/{recordKey}: another adapter (sha256 {Short(kept.Files[ReleaseCandidate.AdapterWeights].Sha256)}, commit {Short(kept.Commit)}) "
                + $"was kept for these inputs; it is the one reviewed and released (RegressionGate reuses it unless --retrain)");
        }
        foreach (var file in run.AllFiles)
            await UploadOnceAsync(CandidateKey(adapter, inputs.Address, file.Entry.Sha256), file.Content, $"candidate {Short(inputs.Address)}", cancellationToken).ConfigureAwait(false);
        var record = new CandidateRecord(CandidateRecord.SchemaId, adapter, inputs.Address, run.Eval.BaseModel, inputs.SpecSha256, inputs.Data,
            run.AllFiles.ToDictionary(f => f.Name, f => f.Entry, StringComparer.Ordinal), reviewedCommit ?? run.Eval.Commit, reviewed, _time.GetUtcNow());
        if (await Store.TryCreateAsync(recordKey, record.ToJsonBytes(), cancellationToken).ConfigureAwait(false))
            return record;
        // another job kept one between our read and our write: the first one stays
        return await ReadCandidateAsync(adapter, inputs.Address, cancellationToken).ConfigureAwait(false) is { } first
               && first.Files[ReleaseCandidate.AdapterWeights].Sha256 == run.AdapterSha256
            ? first
            : throw new InputException($"{Store.Location}/{recordKey}: another job kept a different candidate for these inputs meanwhile; it stays");
    }

    /// <summary>
    /// Writes the candidate kept for <paramref name="inputs"/> into <paramref name="outDirectory"/> in a run folder's
    /// layout (<c>adapter/</c>, <c>eval/eval.json</c>, <c>gate/</c>, <c>candidate.json</c>), every file checked
    /// against its sha256. Nothing kept: <see cref="NothingFoundException"/>.
    /// </summary>
    public async Task<CandidateRecord> FetchCandidateAsync(string adapter, CandidateInputs inputs, string outDirectory, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        ArgumentNullException.ThrowIfNull(inputs);
        var record = await ReadCandidateAsync(adapter, inputs.Address, cancellationToken).ConfigureAwait(false)
            ?? throw new NothingFoundException(
                $"{adapter}: no reviewed candidate in {Store.Location} for these inputs (address {Short(inputs.Address)}: base model {Short(inputs.BaseModelSha256)}, spec {Short(inputs.SpecSha256)}, {inputs.Data.Count} data files)");
        var target = OutputFolder.CheckNewOrEmpty(outDirectory);
        await OutputFolder.WriteWholeAsync(target, async staging =>
        {
            foreach (var (name, relative) in ReleaseCandidate.Layout)
            {
                if (!record.Files.TryGetValue(name, out var entry))
                    throw new ArtifactIntegrityException($"{Store.Location}/{CandidateKey(adapter, inputs.Address, CandidateRecord.FileName)}: names no {name}");
                var key = CandidateKey(adapter, inputs.Address, entry.Sha256);
                var bytes = await Store.ReadAsync(key, cancellationToken).ConfigureAwait(false)
                    ?? throw new ArtifactIntegrityException($"{Store.Location}/{key}: missing ({name} of the candidate)");
                if (Sha256.Hex(bytes) != entry.Sha256 || bytes.LongLength != entry.Bytes)
                    throw new ArtifactIntegrityException($"{Store.Location}/{key}: sha256 is {Sha256.Hex(bytes)} ({bytes.LongLength} bytes), the candidate record says {entry.Sha256} ({entry.Bytes} bytes) ({name})");
                var path = Path.Combine(staging, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
            }
            await File.WriteAllBytesAsync(Path.Combine(staging, CandidateRecord.FileName), record.ToJsonBytes(), cancellationToken).ConfigureAwait(false);
            var fetched = await ReleaseCandidate.LoadAsync(staging, adapter, cancellationToken).ConfigureAwait(false);
            CheckInputs(fetched, inputs, $"{Store.Location}/{CandidateKey(adapter, inputs.Address, record.Files["eval.json"].Sha256)}");
        }).ConfigureAwait(false);
        return record;
    }

    /// <summary>The candidate record kept for <paramref name="address"/>, or null.</summary>
    public async Task<CandidateRecord?> ReadCandidateAsync(string adapter, string address, CancellationToken cancellationToken)
    {
        var key = CandidateKey(adapter, address, CandidateRecord.FileName);
        var bytes = await Store.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
            return null;
        var record = CandidateRecord.Parse(bytes, $"{Store.Location}/{key}");
        return record.Adapter == adapter && record.Address == address && record.Files.ContainsKey(ReleaseCandidate.AdapterWeights)
            ? record
            : throw new ArtifactIntegrityException($"{Store.Location}/{key}: records {record.Adapter} at {Short(record.Address)}, not {adapter} at {Short(address)}");
    }

    /// <summary>The run's eval.json must record exactly these inputs: a candidate is kept under what made it.</summary>
    private static void CheckInputs(ReleaseCandidate run, CandidateInputs inputs, string evalFile)
    {
        var recorded = CandidateInputs.FromEval(run.Eval)
            ?? throw new InputException($"{evalFile}: base_model.sha256 or spec_sha256 is missing, so the candidate cannot be addressed by its inputs");
        if (recorded.FirstDifference(inputs) is { } difference)
            throw new InputException($"{evalFile}: was made from other inputs than adapters/{inputs.Adapter} here: {difference}");
    }

    private static string CandidateKey(string adapter, string address, string file) => $"candidates/{adapter}/{address}/{file}";

    /// <summary>The first 12 characters of a sha256 or commit, for messages.</summary>
    private static string Short(string? hash) => hash is null ? "unknown" : hash[..Math.Min(12, hash.Length)];
}
