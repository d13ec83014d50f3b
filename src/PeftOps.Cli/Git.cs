using System.Diagnostics;

namespace PeftOps.Cli;

internal static class Git
{
    /// <summary>The commit checked out in the repository holding <paramref name="folder"/>, or null outside git.</summary>
    public static string? HeadCommit(string folder)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", ["-C", folder, "rev-parse", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length == 40 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
