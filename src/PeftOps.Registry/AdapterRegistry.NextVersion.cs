using PeftOps.Contracts;

namespace PeftOps.Registry;

public sealed partial class AdapterRegistry
{
    /// <summary>Proposes the version to release <paramref name="fromDirectory"/> as, comparing its eval.json with the latest version's.</summary>
    public async Task<VersionProposal> ProposeNextVersionAsync(string adapter, string fromDirectory, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        var candidate = await ReleaseCandidate.LoadAsync(fromDirectory, adapter, cancellationToken).ConfigureAwait(false);
        var state = await StateAsync(adapter, cancellationToken).ConfigureAwait(false);
        if (state.Latest is not { } latest)
            return new VersionProposal("v1.0.0", null, "initial", [$"{adapter} has no registered version"]);

        var (previous, warning) = await PreviousEvalAsync(state, latest, cancellationToken).ConfigureAwait(false);
        var current = candidate.Eval;
        var semver = GtoTagName.ParseVersion(latest);

        var major = new List<string>();
        if (previous.BaseModel.Ref != current.BaseModel.Ref)
            major.Add($"base_model changed from {previous.BaseModel.Ref} to {current.BaseModel.Ref}");
        else if (previous.BaseModel.Sha256 != current.BaseModel.Sha256)
            major.Add($"base_model {current.BaseModel.Ref} weights changed (sha256 {previous.BaseModel.Sha256} -> {current.BaseModel.Sha256})");
        if (major.Count > 0)
            return new VersionProposal($"v{semver.Major + 1}.0.0", latest, "major", major, warning);

        var minor = new List<string>();
        if (warning is not null && previous.SpecSha256 != current.SpecSha256)
            minor.Add($"spec changed (sha256 {previous.SpecSha256} -> {current.SpecSha256}); the method keys of {latest} cannot be compared without its eval.json");
        foreach (var change in FlatSpec.Diff(previous.Spec, current.Spec).Changes.Where(c => warning is null && c.Key.StartsWith("method.", StringComparison.Ordinal)))
            minor.Add($"{change.Key} changed from {change.Before ?? "(unset)"} to {change.After ?? "(unset)"}");
        var dataBefore = previous.Data.Select(DataKey).ToHashSet(StringComparer.Ordinal);
        var dataAfter = current.Data.Select(DataKey).ToHashSet(StringComparer.Ordinal);
        if (!dataBefore.SetEquals(dataAfter))
            minor.Add($"data changed: {string.Join(", ", dataAfter.Except(dataBefore).Select(k => k.Split(' ')[0]).Distinct().DefaultIfEmpty("removed data"))}");
        if (minor.Count > 0)
            return new VersionProposal($"v{semver.Major}.{semver.Minor + 1}.0", latest, "minor", minor, warning);

        var patch = previous.SpecSha256 != current.SpecSha256 ? "other spec keys changed" : "same base model, method and data";
        return new VersionProposal($"v{semver.Major}.{semver.Minor}.{semver.Patch + 1}", latest, "patch", [patch], warning);
    }

    /// <summary>
    /// The latest version's eval.json, verified; when the store lost one of the version's files, the facts its lineage
    /// tag records (base model, data, spec hash, no spec keys) and a warning that names the missing file and the repair.
    /// </summary>
    private async Task<(EvalFacts Previous, string? Warning)> PreviousEvalAsync(AdapterState state, string latest, CancellationToken cancellationToken)
    {
        var adapter = state.Adapter;
        string? missing = null;
        foreach (var name in Manifest.ContentFiles.Prepend(Manifest.FileName))
        {
            if (missing is null && await Store.ReadAsync(Key(adapter, latest, name), cancellationToken).ConfigureAwait(false) is null)
                missing = name;
        }
        var registration = state.Registration(latest)!;
        if (missing is null || TagReader.ReadLineage(registration.Message) is not { } lineage)
        {
            var stored = await VerifyAsync(adapter, latest, cancellationToken).ConfigureAwait(false);
            return (EvalFacts.Parse(stored.Files["eval.json"], $"{Store.Location}/{Key(adapter, latest, "eval.json")}"), null);
        }
        var facts = new EvalFacts(adapter, lineage.BaseModel, lineage.SpecSha256, new Dictionary<string, string>(), lineage.Data, lineage.Tools, lineage.Commit, lineage.ParentVersion);
        return (facts, $"{Store.Location}/{Key(adapter, latest, missing)} is missing, so {latest} was compared by the lineage in its tag {registration.Tag}; "
            + $"put it back with 'peftops registry release {adapter} --version {latest} --from RUN_DIR' from the folder it was released from");
    }

    private static string DataKey(DataHash data) => $"{data.Role}/{data.Name ?? data.Path} {data.Sha256}";
}

/// <summary>
/// The next version and why: <c>major</c> when the base model changed, <c>minor</c> when the method or the data
/// changed, <c>patch</c> otherwise, <c>initial</c> (v1.0.0) when nothing is registered yet. <see cref="Warning"/> says
/// when the latest version's files were missing from the store and its lineage tag was compared instead.
/// </summary>
public sealed record VersionProposal(string Version, string? Previous, string Bump, IReadOnlyList<string> Reasons, string? Warning = null);
