using System.Diagnostics;

namespace PeftOps.TestSupport;

/// <summary>Runs the real <c>git</c> in a folder, for tests that build repositories in temp folders.</summary>
public static class GitCli
{
    /// <summary>Standard output; a non-zero exit throws with git's standard error.</summary>
    public static string Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error.Result}");
        return output;
    }
}
