namespace PeftOps.Configuration.Schema;

/// <summary>
/// Where a spec's data files may be. A spec comes from a pull request, and the files it names are read, hashed
/// and trained on by a runner: inside a git repository they must resolve (symbolic links followed) inside that
/// repository, or inside a folder named in <c>PEFTOPS_DATA_ROOTS</c> (paths separated by the system's path
/// separator; for data kept beside the checkout, such as the benchmarks' <c>../shared/datasets</c>). An adapter
/// folder outside any repository (a local experiment) may name any file.
/// </summary>
internal static class DataPaths
{
    public const string RootsVariable = "PEFTOPS_DATA_ROOTS";

    /// <summary>Why <paramref name="full"/> may not be read as a data file of the adapter in <paramref name="directory"/>, or null when it may.</summary>
    public static string? Problem(string directory, string full)
    {
        if (Directory.Exists(full))
            return $"{full} is a folder";
        if (!File.Exists(full))
            return $"{full} does not exist";
        string real;
        try
        {
            real = RealPath(full);
        }
        catch (IOException e)
        {
            return $"{full} cannot be resolved: {e.Message.TrimEnd('.')}";
        }
        if (!File.Exists(real))
            return $"{full} is a symbolic link to {real}, which does not exist";
        if (RepositoryRoot(RealPath(Path.GetFullPath(directory))) is not { } repository)
            return null;
        var allowed = new[] { repository }.Concat(ExtraRoots());
        return allowed.Any(root => IsUnder(real, root))
            ? null
            : $"{real} is outside the repository {repository}; set {RootsVariable} to read data from elsewhere";
    }

    /// <summary>The path with every symbolic link on it followed, as realpath(3) gives it.</summary>
    /// <exception cref="IOException">A link loop, or links nested too deep.</exception>
    public static string RealPath(string fullPath, int depth = 0)
    {
        if (depth > 40)
            throw new IOException("Too many levels of symbolic links");
        var root = Path.GetPathRoot(fullPath) ?? "";
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null)
                next = RealPath(info.ResolveLinkTarget(returnFinalTarget: true)!.FullName, depth + 1);
            current = next;
        }
        return current;
    }

    private static string? RepositoryRoot(string directory)
    {
        for (var dir = directory; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var git = Path.Combine(dir, ".git");
            if (Directory.Exists(git) || File.Exists(git))
                return dir;
        }
        return null;
    }

    private static IEnumerable<string> ExtraRoots() =>
        (Environment.GetEnvironmentVariable(RootsVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(root => RealPath(Path.GetFullPath(root)));

    private static bool IsUnder(string path, string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
