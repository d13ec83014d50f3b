using PeftOps.Contracts;

namespace PeftOps.Registry;

public sealed partial class AdapterRegistry
{
    /// <summary>
    /// Releases <paramref name="fromDirectory"/> as <paramref name="adapter"/>@<paramref name="version"/>:
    /// resolve, check the gate, upload, verify, tag, push. Files go up before any tag is written and the manifest
    /// last; a run that stopped anywhere is finished by running it again with the same folder, and a version whose
    /// tag exists is completed (files missing from the store uploaded again, checked against the manifest the tag
    /// records; the tag pushed) when the folder holds the bytes it released.
    /// A plain (lightweight) tag of the version's name, as a release manager pushes to start a release, is a
    /// release request: it names the commit, and the release replaces it with the annotated lineage tag.
    /// </summary>
    /// <param name="policy">whether the folder's verdict may ship as asked (<see cref="ReleasePolicy"/>): it computes the gate again from the folder's eval.json first.</param>
    /// <param name="retrained">the folder is a new training run, not the reviewed candidate (its <c>candidate.json</c>); the lineage says so.</param>
    public async Task<ReleaseResult> ReleaseAsync(
        string adapter, string version, string fromDirectory, ReleasePolicy policy, bool retrained, CancellationToken cancellationToken)
    {
        // resolve
        ArgumentNullException.ThrowIfNull(policy);
        CheckName(adapter, "adapter");
        version = CheckVersion(version);
        var tag = GtoTagName.Registration(adapter, version).ToString();
        var candidate = await ReleaseCandidate.LoadAsync(fromDirectory, adapter, cancellationToken).ConfigureAwait(false);
        using var releaseLock = await ReleaseLock.AcquireAsync(Git, tag, cancellationToken).ConfigureAwait(false);
        var remote = await Git.DefaultRemoteAsync(cancellationToken).ConfigureAwait(false);
        var remoteObject = remote is null ? null : await Git.RemoteTagObjectAsync(remote, tag, cancellationToken).ConfigureAwait(false);
        var remoteRequest = remoteObject is not null && await Git.IsCommitAsync(remoteObject, cancellationToken).ConfigureAwait(false) ? remoteObject : null;
        if (remoteObject is not null && remoteRequest is null)
            await Git.FetchTagAsync(remote!, tag, cancellationToken).ConfigureAwait(false); // released there (or a commit this clone lacks): look at it here
        var local = (await Git.ListTagsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Name == tag);
        if (local is { Annotated: true })
            return await CompleteAsync(candidate, tag, local, remote, remoteObject, remoteRequest, cancellationToken).ConfigureAwait(false);
        ReleaseRequest? request = null;
        if (local is not null)
        {
            if (remoteObject is not null && remoteObject != local.Commit)
                throw AlreadyExists(tag, remote);
            request = new ReleaseRequest(local.Commit, true, remoteObject);
        }
        else if (remoteRequest is not null)
        {
            request = new ReleaseRequest(remoteRequest, false, remoteRequest);
        }
        var state = await StateAsync(adapter, cancellationToken).ConfigureAwait(false);
        var commit = await ReleaseCommitAsync(candidate, retrained, cancellationToken).ConfigureAwait(false);
        if (request is not null && request.Commit != commit)
            throw new InputException($"{tag} (a plain tag asking for this release) points at {Short(request.Commit)}, but {fromDirectory} was built from {Short(commit)}; build the artifacts at the tagged commit");

        // check where the bytes come from, and the gate
        var origin = await OriginAsync(adapter, candidate, retrained, cancellationToken).ConfigureAwait(false);
        var gate = await policy.AuthorizeAsync(this, candidate, tag, cancellationToken).ConfigureAwait(false);

        // a tag will be written: git must know who writes it before anything is uploaded
        await Git.RequireTaggerAsync(cancellationToken).ConfigureAwait(false);

        // upload: content files in a fixed order, then the manifest, each written once
        foreach (var file in candidate.Files)
            await UploadOnceAsync(Key(adapter, version, file.Name), file.Content, tag, cancellationToken).ConfigureAwait(false);
        FaultPoint.Reach("release", "after-files");
        var manifest = new Manifest(
            Manifest.SchemaId, adapter, version, _time.GetUtcNow(), FilesOf(candidate),
            candidate.Eval.BaseModel, candidate.Eval.Data, candidate.Eval.SpecSha256, commit,
            state.Versions.LastOrDefault(v => GtoTagName.ParseVersion(v).ComparePrecedenceTo(GtoTagName.ParseVersion(version)) < 0) ?? candidate.Eval.ParentVersion,
            candidate.Eval.Tools, gate, origin);
        manifest = await UploadManifestAsync(manifest, tag, cancellationToken).ConfigureAwait(false);
        FaultPoint.Reach("release", "after-manifest");

        // verify: read every file back and check it against the manifest
        var manifestBytes = await Store.ReadAsync(Key(adapter, version, Manifest.FileName), cancellationToken).ConfigureAwait(false)
            ?? throw new ArtifactIntegrityException($"{Store.Location}/{Key(adapter, version, Manifest.FileName)}: missing right after it was written");
        var manifestSha = Sha256.Hex(manifestBytes);
        await DownloadVerifiedAsync(adapter, version, manifestSha, cancellationToken).ConfigureAwait(false);

        // tag: the lineage record is the message; the tag points at the commit the adapter was built from
        if (request?.Local == true)
            await Git.DeleteTagAsync(tag, cancellationToken).ConfigureAwait(false);
        var lineage = LineageRecordJson.Serialize(LineageRecord.From(manifest, manifestSha));
        if (!await Git.TryCreateTagAsync(tag, manifest.Commit, lineage, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            throw new InputException($"{tag} was created by another release while this one ran; this one stops");
        FaultPoint.Reach("release", "after-tag");

        // push
        if (remote is not null)
            await PushReleaseTagAsync(remote, tag, request, cancellationToken).ConfigureAwait(false);
        FaultPoint.Reach("release", "after-push");
        return new ReleaseResult(tag, manifest, remote);
    }

    /// <summary>
    /// The version's lineage tag exists (here, or fetched from the remote): when <paramref name="candidate"/> holds the
    /// bytes it released, upload what the store lacks (checked against the manifest the tag records), verify, and push
    /// the tag where it is not yet; otherwise the version exists and is left alone.
    /// </summary>
    private async Task<ReleaseResult> CompleteAsync(
        ReleaseCandidate candidate, string tag, GitTag local, string? remote, string? remoteObject, string? remoteRequest, CancellationToken cancellationToken)
    {
        var pushed = remoteObject is not null && remoteRequest is null;
        var lineage = TagReader.ReadLineage(local.Message);
        if (lineage is null || (remoteRequest is not null && remoteRequest != local.Commit))
            throw AlreadyExists(tag, pushed ? remote : null);
        var (adapter, version) = (lineage.Adapter, lineage.Version);
        var manifestKey = Key(adapter, version, Manifest.FileName);
        var files = FilesOf(candidate);
        var stored = await Store.ReadAsync(manifestKey, cancellationToken).ConfigureAwait(false);
        Manifest manifest;
        if (stored is not null)
        {
            manifest = StoredManifest(stored, $"{Store.Location}/{manifestKey}");
            if (!manifest.HasFiles(files))
                throw AlreadyExists(tag, pushed ? remote : null);
        }
        else
        {
            manifest = lineage.RebuildManifest(files)
                ?? throw new InputException($"{tag}: {Store.Location}/{manifestKey} is missing and the tag, written before lineage records kept created_at, cannot rebuild it; restore manifest.json from a copy of the store");
            if (Sha256.Hex(manifest.ToJsonBytes()) != lineage.ManifestSha256)
                throw AlreadyExists(tag, pushed ? remote : null);
        }

        // the same bytes as released: put back what the store lost, manifest last, then check every hash
        foreach (var file in candidate.Files)
            await UploadOnceAsync(Key(adapter, version, file.Name), file.Content, tag, cancellationToken).ConfigureAwait(false);
        if (stored is null)
            await UploadOnceAsync(manifestKey, manifest.ToJsonBytes(), tag, cancellationToken).ConfigureAwait(false);
        await DownloadVerifiedAsync(adapter, version, lineage.ManifestSha256, cancellationToken).ConfigureAwait(false);

        if (remote is not null && !pushed)
            await PushReleaseTagAsync(remote, tag, remoteRequest is null ? null : new ReleaseRequest(remoteRequest, true, remoteRequest), cancellationToken).ConfigureAwait(false);
        FaultPoint.Reach("release", "after-push");
        return new ReleaseResult(tag, manifest, remote);
    }

    /// <summary>Pushes the lineage tag; when the remote refuses, the tag is withdrawn here (and a request put back) so this clone agrees with the remote.</summary>
    private async Task PushReleaseTagAsync(string remote, string tag, ReleaseRequest? request, CancellationToken cancellationToken)
    {
        bool pushed;
        try
        {
            pushed = await Git.TryPushTagAsync(remote, tag, cancellationToken, request?.RemoteObject).ConfigureAwait(false);
        }
        catch (InfrastructureException)
        {
            await WithdrawTagAsync(tag, request, cancellationToken).ConfigureAwait(false);
            throw;
        }
        if (!pushed)
        {
            await WithdrawTagAsync(tag, request, cancellationToken).ConfigureAwait(false);
            throw new InputException($"{remote} refused {tag}: another release pushed this version first; this one stops");
        }
    }

    private async Task WithdrawTagAsync(string tag, ReleaseRequest? request, CancellationToken cancellationToken)
    {
        await Git.DeleteTagAsync(tag, cancellationToken).ConfigureAwait(false);
        if (request?.Local == true)
            await Git.CreateLightweightTagAsync(tag, request.Commit, cancellationToken).ConfigureAwait(false);
    }

    private static InputException AlreadyExists(string tag, string? remote) =>
        new($"{tag} already exists{(remote is not null ? $" on {remote}" : "")}: a version is written once; choose another version");

    private static Dictionary<string, ManifestFile> FilesOf(ReleaseCandidate candidate) =>
        candidate.Files.ToDictionary(f => f.Name, f => f.Entry, StringComparer.Ordinal);

    /// <summary>
    /// A folder fetched as the reviewed candidate is released as <c>reviewed</c> once the store confirms it kept those
    /// bytes for those inputs; any other folder only with <paramref name="retrained"/>.
    /// </summary>
    private async Task<ReleaseOrigin> OriginAsync(string adapter, ReleaseCandidate candidate, bool retrained, CancellationToken cancellationToken)
    {
        if (retrained)
            return new ReleaseOrigin(ReleaseOrigin.RetrainedKind, null, null, null);
        var record = candidate.Reviewed
            ?? throw new InputException(
                $"{candidate.Directory}: holds no {CandidateRecord.FileName}, so it is not the candidate reviewed in a pull request; "
                + "fetch it with 'peftops registry candidate fetch', or pass --retrained to release a new training run (the lineage will say so)");
        var kept = await ReadCandidateAsync(adapter, record.Address, cancellationToken).ConfigureAwait(false);
        bool Same(string name) =>
            kept!.Files.TryGetValue(name, out var k) && record.Files.TryGetValue(name, out var r) && k == r
            && candidate.AllFiles.Single(f => f.Name == name).Entry == k;
        if (kept is null || CandidateInputs.FromEval(candidate.Eval)?.Address != record.Address
            || !Same(PeftFileNames.Config) || !Same(ReleaseCandidate.AdapterWeights) || !Same("eval.json"))
            throw new InputException(
                $"{Path.Combine(candidate.Directory, CandidateRecord.FileName)}: {Store.Location} keeps no such candidate for these inputs (address {Short(record.Address)})");
        return new ReleaseOrigin(ReleaseOrigin.ReviewedKind, record.Address, record.Commit, record.Reviewed);
    }

    /// <summary>A lightweight tag named like the version, here (Local) or on the remote (RemoteObject), asking for the release of its commit.</summary>
    private sealed record ReleaseRequest(string Commit, bool Local, string? RemoteObject);

    /// <summary>
    /// The commit the version is tagged on. A reviewed candidate was made at the pull request's commit and is released
    /// from the commit checked out here, whose inputs it was kept under; a retrained run must have been made here.
    /// </summary>
    private async Task<string> ReleaseCommitAsync(ReleaseCandidate candidate, bool retrained, CancellationToken cancellationToken)
    {
        var head = await Git.HeadAsync(cancellationToken).ConfigureAwait(false);
        if (!retrained || candidate.Eval.Commit is not { } commit)
            return head;
        var resolved = await Git.ResolveCommitAsync(commit, cancellationToken).ConfigureAwait(false)
            ?? throw new InputException($"{Path.Combine(candidate.Directory, RunLayout.EvalFolder, RunLayout.EvalFile)}: lineage.commit is '{commit}', expected a commit of {Git.Root}");
        return resolved;
    }

    /// <summary>Writes a key once; bytes already there are accepted only when they are these bytes (a re-run).</summary>
    private async Task UploadOnceAsync(string key, byte[] content, string tag, CancellationToken cancellationToken)
    {
        if (await Store.TryCreateAsync(key, content, cancellationToken).ConfigureAwait(false))
            return;
        var existing = await Store.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (existing is not null && Sha256.Hex(existing) == Sha256.Hex(content))
            return;
        throw new InputException(
            $"{Store.Location}/{key} already holds different bytes (sha256 {(existing is null ? "none" : Sha256.Hex(existing))}, this release {Sha256.Hex(content)}): {tag} was released, or is being released, from another folder; choose another version");
    }

    /// <summary>Writes the manifest once; an existing manifest of the same files (an earlier run of this release) is kept.</summary>
    private async Task<Manifest> UploadManifestAsync(Manifest manifest, string tag, CancellationToken cancellationToken)
    {
        var key = Key(manifest.Adapter, manifest.Version, Manifest.FileName);
        if (await Store.TryCreateAsync(key, manifest.ToJsonBytes(), cancellationToken).ConfigureAwait(false))
            return manifest;
        var bytes = await Store.ReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new ArtifactIntegrityException($"{Store.Location}/{key}: reported to exist but cannot be read");
        var existing = StoredManifest(bytes, $"{Store.Location}/{key}");
        if (existing.Adapter == manifest.Adapter && existing.Version == manifest.Version && existing.HasSameFilesAs(manifest))
            return existing;
        throw new InputException($"{Store.Location}/{key} already describes other files: {tag} was released from another folder; choose another version");
    }
}

/// <summary>A finished release: its tag, its manifest, and the remote the tag was pushed to (null when none).</summary>
public sealed record ReleaseResult(string Tag, Manifest Manifest, string? PushedTo);
