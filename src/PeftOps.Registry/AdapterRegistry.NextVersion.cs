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

        var stored = await VerifyAsync(adapter, latest, cancellationToken).ConfigureAwait(false);
        var previous = EvalFacts.Parse(stored.Files["eval.json"], $"{Store.Location}/{Key(adapter, latest, "eval.json")}");
        var current = candidate.Eval;
        var semver = GtoTagName.ParseVersion(latest);

        var major = new List<string>();
        if (previous.BaseModel.Ref != current.BaseModel.Ref)
            major.Add($"base_model changed from {previous.BaseModel.Ref} to {current.BaseModel.Ref}");
        else if (previous.BaseModel.Sha256 != current.BaseModel.Sha256)
            major.Add($"base_model {current.BaseModel.Ref} weights changed (sha256 {previous.BaseModel.Sha256} -> {current.BaseModel.Sha256})");
        if (major.Count > 0)
            return new VersionProposal($"v{semver.Major + 1}.0.0", latest, "major", major);

        var minor = new List<string>();
        foreach (var key in previous.Spec.Keys.Union(current.Spec.Keys).Where(k => k.StartsWith("method.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var before = previous.Spec.GetValueOrDefault(key);
            var after = current.Spec.GetValueOrDefault(key);
            if (before != after)
                minor.Add($"{key} changed from {before ?? "(unset)"} to {after ?? "(unset)"}");
        }
        var dataBefore = previous.Data.Select(DataKey).ToHashSet(StringComparer.Ordinal);
        var dataAfter = current.Data.Select(DataKey).ToHashSet(StringComparer.Ordinal);
        if (!dataBefore.SetEquals(dataAfter))
            minor.Add($"data changed: {string.Join(", ", dataAfter.Except(dataBefore).Select(k => k.Split(' ')[0]).Distinct().DefaultIfEmpty("removed data"))}");
        if (minor.Count > 0)
            return new VersionProposal($"v{semver.Major}.{semver.Minor + 1}.0", latest, "minor", minor);

        var patch = previous.SpecSha256 != current.SpecSha256 ? "other spec keys changed" : "same base model, method and data";
        return new VersionProposal($"v{semver.Major}.{semver.Minor}.{semver.Patch + 1}", latest, "patch", [patch]);
    }

    private static string DataKey(DataHash data) => $"{data.Role}/{data.Name ?? data.Path} {data.Sha256}";
}
