using System.Diagnostics;
using PeftOps.Registry;
using PeftOps.TestSupport;

namespace PeftOps.Registry.Tests;

/// <summary>A temp folder with a bare remote (<c>remote.git</c>) and a working clone that pushes to it.</summary>
public sealed class GitSandbox : IDisposable
{
    private readonly TempDirectory _temp = new("peftops-registry");
    private int _clones;

    public GitSandbox()
    {
        Remote = _temp.Combine("remote.git");
        Run(_temp.Path, "init", "--quiet", "--bare", "-b", "main", Remote);
        Work = _temp.Combine("work");
        Directory.CreateDirectory(Work);
        Run(Work, "init", "--quiet", "-b", "main");
        Configure(Work);
        Head = Commit("adapters/support-intents/adapter.yaml", "name: support-intents\n");
        Run(Work, "remote", "add", "origin", Remote);
        Run(Work, "push", "--quiet", "origin", "main");
    }

    public string Remote { get; }

    public string Work { get; }

    public string Head { get; private set; }

    public string Path => _temp.Path;

    public string Combine(params string[] parts) => _temp.Combine(parts);

    /// <summary>Writes a file in the working clone and commits it; answers the new HEAD.</summary>
    public string Commit(string relativePath, string content)
    {
        var file = System.IO.Path.Combine(Work, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        Run(Work, "add", "-A");
        Run(Work, "commit", "--quiet", "-m", $"change {relativePath}");
        Head = Run(Work, "rev-parse", "HEAD").Trim();
        return Head;
    }

    /// <summary>Another working copy of the remote, as a second release manager's machine would have.</summary>
    public string Clone()
    {
        var clone = _temp.Combine($"clone{++_clones}");
        Run(_temp.Path, "clone", "--quiet", Remote, clone);
        Configure(clone);
        return clone;
    }

    /// <summary>Installs a pre-receive hook on the remote that refuses every push, saying <paramref name="message"/>; answers the hook's path.</summary>
    public string RejectPushes(string message)
    {
        var hook = System.IO.Path.Combine(Remote, "hooks", "pre-receive");
        File.WriteAllText(hook, $"#!/bin/sh\necho '{message}'\nexit 1\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return hook;
    }

    public IReadOnlyList<string> RemoteTags() =>
        Run(Remote, "tag", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();

    public string TagMessage(string repository, string tag) => Run(repository, "tag", "--list", "--format=%(contents)", tag).Trim();

    public Task<GitRepository> OpenAsync(string? directory = null) => GitRepository.OpenAsync(directory ?? Work, CancellationToken.None);

    public static string Run(string directory, params string[] arguments) => GitCli.Run(directory, arguments);

    public void Dispose() => _temp.Dispose();

    private static void Configure(string repository)
    {
        Run(repository, "config", "user.name", "Release Manager");
        Run(repository, "config", "user.email", "rm@example.com");
        Run(repository, "config", "commit.gpgsign", "false");
        Run(repository, "config", "tag.gpgsign", "false");
    }
}
