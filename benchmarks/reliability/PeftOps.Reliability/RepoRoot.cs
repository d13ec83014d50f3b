namespace PeftOps.Reliability;

/// <summary>The checkout this program was built in (the folder holding PeftOps.sln), whose fixtures seed the fuzzers.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PeftOps.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException($"PeftOps.sln not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}");
    }
}
