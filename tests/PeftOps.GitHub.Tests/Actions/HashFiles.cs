using System.Security.Cryptography;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// GitHub's <c>hashFiles(pattern, ...)</c>: every file under the job's workspace that the patterns match, each hashed
/// with SHA-256, and one SHA-256 over those hashes; an empty string when nothing matches
/// (docs.github.com/actions/learn-github-actions/expressions#hashfiles). The patterns are read as
/// <see cref="FilterPattern"/> reads them (<c>*</c> within a folder, <c>**</c> across folders, <c>!</c> excludes), and the
/// files are taken in path order, so a cache key changes exactly when a matched file's content, name or number does.
/// </summary>
internal static class HashFiles
{
    public static string Of(string workspace, IReadOnlyList<string> patterns)
    {
        if (workspace.Length == 0)
            throw new NotSupportedException("hashFiles() works only in a job's steps, where there is a workspace");
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var matched = false;
        foreach (var file in Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(workspace, f).Replace('\\', '/'))
                     .Where(f => FilterPattern.Matches(patterns, f))
                     .Order(StringComparer.Ordinal))
        {
            all.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(workspace, file))));
            matched = true;
        }
        return matched ? Convert.ToHexStringLower(all.GetHashAndReset()) : "";
    }
}
