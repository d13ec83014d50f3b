using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Registry;
using PeftOps.Training.DataChecks;

namespace PeftOps.Cli.Commands;

/// <summary>
/// The baseline version's data for the data diff: the commit and version from the manifest of a baseline pulled with
/// <c>registry pull</c>, and each of the spec's data files inside the repository as that commit held it (<c>git cat-file blob COMMIT:PATH</c>).
/// A commit this clone does not have (a shallow checkout) makes the diff say so instead of failing the check.
/// </summary>
internal static class BaselineDataOf
{
    public static async Task<BaselineData> ReadAsync(string baselineDir, AdapterSpec spec, CancellationToken ct)
    {
        var manifestPath = Path.Combine(baselineDir, Manifest.FileName);
        if (!File.Exists(manifestPath))
            throw new InputException($"--baseline {baselineDir}: no {Manifest.FileName} (expected a folder written by peftops registry pull)");
        var manifest = ManifestJson.Parse(await File.ReadAllBytesAsync(manifestPath, ct).ConfigureAwait(false), manifestPath);
        GitRepository repo;
        try
        {
            repo = await GitRepository.OpenAsync(spec.Directory, ct).ConfigureAwait(false);
        }
        catch (InputException)
        {
            return BaselineData.Unavailable(manifest.Version, manifest.Commit, $"{spec.Directory} is not in a git repository, so the baseline's data cannot be read");
        }
        if (await repo.ResolveCommitAsync(manifest.Commit, ct).ConfigureAwait(false) is null)
            return BaselineData.Unavailable(manifest.Version, manifest.Commit,
                $"commit {manifest.Commit} of {manifest.Version} is not in this clone (a shallow checkout? fetch with --depth 0 or fetch-depth: 0)");
        var files = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var file in CheckedSplit.Sources(spec).Select(s => DataReference.FileOf(s.Path)).Distinct(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(repo.Root, Path.GetFullPath(Path.Combine(spec.Directory, file)));
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                continue;
            files[file] = await repo.ShowFileAsync(manifest.Commit, relative.Replace('\\', '/'), ct).ConfigureAwait(false);
        }
        return new BaselineData(manifest.Version, manifest.Commit, files);
    }
}
