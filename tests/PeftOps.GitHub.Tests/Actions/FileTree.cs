namespace PeftOps.GitHub.Tests.Actions;

/// <summary>Copies a file or a folder with everything in it, as the artifact and cache actions move a job's paths.</summary>
internal static class FileTree
{
    /// <summary>Copies <paramref name="source"/> (a file or a folder) to <paramref name="target"/>; a missing source copies nothing.</summary>
    public static void Copy(string source, string target)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
        }
        else if (Directory.Exists(source))
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy, overwrite: true);
            }
        }
    }
}
