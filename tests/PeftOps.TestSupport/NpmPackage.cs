using System.Diagnostics;

namespace PeftOps.TestSupport;

/// <summary>
/// An npm package the tests install themselves, once, under <c>.tools/NAME</c> of the checkout (ignored by git), as
/// <c>npm install --prefix</c> lays it out; a lock file keeps parallel test runs from installing at the same time.
/// </summary>
/// <param name="probe">A file, relative to the install folder, that exists once the install has finished.</param>
public sealed class NpmPackage(string name, string version, string probe)
{
    /// <summary>npm <c>azurite</c>, the blob storage emulator.</summary>
    public static NpmPackage Azurite { get; } = new("azurite", "3.37.0", Path.Combine("node_modules", ".bin", "azurite-blob"));

    /// <summary>npm <c>openai</c>, OpenAI's official client library.</summary>
    public static NpmPackage OpenAi { get; } = new("openai", "7.55.0", Path.Combine("node_modules", "openai", "package.json"));

    public string Name { get; } = name;

    public string Version { get; } = version;

    public string InstallDirectory => Path.Combine(TestPaths.RepoRoot, ".tools", Name);

    /// <summary><c>node_modules</c> of the install, for <c>NODE_PATH</c>.</summary>
    public string NodeModules => Path.Combine(InstallDirectory, "node_modules");

    public string Probe => Path.Combine(InstallDirectory, probe);

    public async Task EnsureInstalledAsync()
    {
        if (File.Exists(Probe))
            return;
        Directory.CreateDirectory(InstallDirectory);
        using var installLock = await AcquireLockAsync(Path.Combine(InstallDirectory, "..", $"{Name}.install.lock")).ConfigureAwait(false);
        if (File.Exists(Probe))
            return;
        var start = new ProcessStartInfo("npm")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "install", "--prefix", InstallDirectory, "--no-audit", "--no-fund", $"{Name}@{Version}" })
            start.ArgumentList.Add(argument);
        using var npm = Process.Start(start) ?? throw new InvalidOperationException($"npm could not be started (Node.js is needed for {Name})");
        var output = npm.StandardOutput.ReadToEndAsync();
        var error = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await npm.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (npm.ExitCode != 0 || !File.Exists(Probe))
            throw new InvalidOperationException($"npm install {Name}@{Version} failed ({npm.ExitCode}): {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        for (var waited = 0; ; waited++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited < 6000)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }
}
