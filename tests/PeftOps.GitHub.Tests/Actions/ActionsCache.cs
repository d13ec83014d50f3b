namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// <c>actions/cache</c> as GitHub runs it, for the jobs of one <see cref="ActionsRunner"/>: the step restores into the
/// job's workspace the entry saved under its evaluated <c>key</c>, else the newest entry whose key starts with one of its
/// <c>restore-keys</c>, and sets the output <c>cache-hit</c> (<c>true</c> only for the exact key); when the job succeeds,
/// its post step saves the paths under the key unless that key was restored (an entry is never overwritten). A path
/// outside the workspace (<c>~/.nuget/packages</c>) is this machine's own folder, which every job shares already, so it
/// is neither saved nor restored.
/// (docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/caching-dependencies-to-speed-up-workflows)
/// </summary>
internal sealed class ActionsCache(string store)
{
    private readonly List<(string Key, string Folder)> _entries = [];   // oldest first

    /// <summary>What one cache step asked for and whether its exact key was found.</summary>
    public sealed record Use(string Key, IReadOnlyList<string> Paths, bool Hit);

    /// <summary>Restores the entry for <paramref name="key"/> (or a restore key's newest) into <paramref name="workspace"/>.</summary>
    public Use Restore(string key, IReadOnlyList<string> restoreKeys, IReadOnlyList<string> paths, string workspace)
    {
        var inWorkspace = paths.Where(p => !p.StartsWith('~') && !Path.IsPathRooted(p)).ToList();
        (string Key, string Folder) found;
        lock (_entries)
        {
            found = _entries.LastOrDefault(e => e.Key == key);
            foreach (var prefix in restoreKeys.TakeWhile(_ => found.Key is null))
                found = _entries.LastOrDefault(e => e.Key.StartsWith(prefix, StringComparison.Ordinal));
        }
        if (found.Key is not null)
        {
            foreach (var path in inWorkspace)
                FileTree.Copy(Path.Combine(found.Folder, path), Path.Combine(workspace, path));
        }
        return new Use(key, inWorkspace, found.Key == key);
    }

    /// <summary>The post step of a job that succeeded: keeps its paths under the key, unless the key is taken.</summary>
    public void Save(Use use, string workspace)
    {
        // as actions/cache: nothing to save when none of the paths exists (it warns and saves no entry)
        if (use.Hit || !use.Paths.Any(p => File.Exists(Path.Combine(workspace, p)) || Directory.Exists(Path.Combine(workspace, p))))
            return;
        lock (_entries)
        {
            if (_entries.Any(e => e.Key == use.Key))
                return;
            var folder = Path.Combine(store, $"{_entries.Count:00}");
            foreach (var path in use.Paths)
                FileTree.Copy(Path.Combine(workspace, path), Path.Combine(folder, path));
            _entries.Add((use.Key, folder));
        }
    }
}
