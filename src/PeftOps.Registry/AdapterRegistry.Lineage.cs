using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Registry;

public sealed partial class AdapterRegistry
{
    /// <summary>
    /// Follows a verified version's lineage back to its commit: the commit is in this clone, the spec at that commit
    /// (<c>adapters/ADAPTER/adapter.yaml</c>) hashes to the recorded spec sha256 (or differs only by keys the run set,
    /// as its verified eval.json shows), and each data file at that commit hashes to the recorded sha256.
    /// </summary>
    public async Task<IReadOnlyList<LineageCheck>> CheckLineageAsync(VerifiedVersion verified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verified);
        var manifest = verified.Manifest;
        var shortCommit = Short(manifest.Commit);
        if (await Git.ResolveCommitAsync(manifest.Commit, cancellationToken).ConfigureAwait(false) is null)
            return [new(LineageCheck.Skipped, "commit", $"{manifest.Commit} is not in this clone (fetch it to check the spec and data)")];
        var checks = new List<LineageCheck> { new(LineageCheck.Ok, "commit", $"{manifest.Commit} is in this clone") };
        var folder = $"adapters/{manifest.Adapter}";
        checks.Add(await CheckSpecAsync(manifest, verified.Files["eval.json"], folder, cancellationToken).ConfigureAwait(false));
        foreach (var data in manifest.Data)
        {
            var what = $"data {data.Name ?? data.Role ?? "file"}";
            if (data.Path is null || RepositoryPath(folder, data.Path) is not { } path)
            {
                checks.Add(new(LineageCheck.Skipped, what, $"{data.Path ?? "(no path)"} is not a path inside the repository"));
                continue;
            }
            var bytes = await Git.ShowFileAsync(manifest.Commit, path, cancellationToken).ConfigureAwait(false);
            checks.Add(bytes is null
                ? new(LineageCheck.Skipped, what, $"{path} is not in commit {shortCommit}")
                : Sha256.Hex(bytes) == data.Sha256
                    ? new(LineageCheck.Ok, what, $"{path} at {shortCommit}: sha256 {data.Sha256}")
                    : new(LineageCheck.Failed, what, $"{path} at {shortCommit} has sha256 {Sha256.Hex(bytes)}, the lineage records {data.Sha256}"));
        }
        return checks;
    }

    private async Task<LineageCheck> CheckSpecAsync(Manifest manifest, byte[] evalJson, string folder, CancellationToken cancellationToken)
    {
        const string what = "spec";
        var source = $"{folder}/{AdapterSpecLoader.FileName} at {Short(manifest.Commit)}";
        if (manifest.SpecSha256 is null)
            return new(LineageCheck.Skipped, what, "the lineage records no spec sha256");
        var temp = Path.Combine(Path.GetTempPath(), $"peftops-lineage-{Guid.NewGuid():N}");
        try
        {
            if (!await Git.ExtractFolderAsync(manifest.Commit, folder, temp, cancellationToken).ConfigureAwait(false))
                return new(LineageCheck.Skipped, what, $"{folder} is not in commit {Short(manifest.Commit)}");
            AdapterSpec spec;
            try
            {
                spec = AdapterSpecLoader.Load(Path.Combine(temp, folder));
            }
            catch (InputException e)
            {
                return new(LineageCheck.Skipped, what, $"{source} does not load here ({e.Message.Split('\n')[0]})");
            }
            var committed = SpecHash.Compute(spec);
            if (committed == manifest.SpecSha256)
                return new(LineageCheck.Ok, what, $"{source}: sha256 {committed}");

            // the run may have set keys on the command line (--set): its eval.json lists the spec it ran with
            var ran = EvalFacts.Parse(evalJson, "eval.json").Spec;
            var ranSha = FlatSpec.Sha256(ran);
            var changed = FlatSpec.Diff(SpecText.Flatten(spec), ran).Changes.Select(c => c.Key).ToList();
            return ranSha == manifest.SpecSha256
                ? new(LineageCheck.Ok, what, $"{source} with {string.Join(", ", changed)} set by the run (eval.json): sha256 {ranSha}")
                : new(LineageCheck.Failed, what, $"{source} has sha256 {committed} and the version's eval.json spec {ranSha}, the lineage records {manifest.SpecSha256}");
        }
        finally
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary><paramref name="relative"/> (a data path of the spec) as a path from the repository's root, or null when it leaves the repository.</summary>
    private static string? RepositoryPath(string folder, string relative)
    {
        var parts = new List<string>();
        foreach (var part in $"{folder}/{relative.Replace('\\', '/')}".Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part != "..")
                parts.Add(part);
            else if (parts.Count > 0)
                parts.RemoveAt(parts.Count - 1);
            else
                return null;
        }
        return relative.StartsWith('/') ? null : string.Join('/', parts);
    }
}
