using PeftOps.Contracts;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PeftOps.Registry;

/// <summary>A git working copy driven through the <c>git</c> command-line tool.</summary>
public sealed class GitRepository
{
    private GitRepository(string root) => Root = root;

    /// <summary>The top of the working tree.</summary>
    public string Root { get; }

    public static async Task<GitRepository> OpenAsync(string directory, CancellationToken cancellationToken)
    {
        var probe = await RunGitAsync(directory, ["rev-parse", "--show-toplevel"], null, null, cancellationToken).ConfigureAwait(false);
        if (probe.ExitCode != 0)
            throw new InputException($"{directory}: not inside a git repository (the registry keeps versions as git tags)");
        return new GitRepository(probe.Output.Trim());
    }

    public async Task<string> HeadAsync(CancellationToken cancellationToken) =>
        (await RunCheckedAsync(["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>The full sha of <paramref name="revision"/> when it names a commit here, else null.</summary>
    public async Task<string?> ResolveCommitAsync(string revision, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }

    public async Task<string> CommonDirectoryAsync(CancellationToken cancellationToken) =>
        Path.GetFullPath(Path.Combine(Root, (await RunCheckedAsync(["rev-parse", "--git-common-dir"], cancellationToken).ConfigureAwait(false)).Trim()));

    public async Task<IReadOnlyList<GitTag>> ListTagsAsync(CancellationToken cancellationToken)
    {
        // fields split by 0x1f, records by 0x1e; *objectname is the peeled commit of an annotated tag
        const string format = "%(refname:strip=2)%1f%(objecttype)%1f%(taggerdate:unix)%1f%(taggername)%1f%(objectname)%1f%(*objectname)%1f%(contents)%1e";
        var output = await RunCheckedAsync(["for-each-ref", "--format=" + format, "refs/tags"], cancellationToken).ConfigureAwait(false);
        var tags = new List<GitTag>();
        foreach (var record in output.Split('\x1e'))
        {
            var fields = record.TrimStart('\n').Split('\x1f');
            if (fields.Length < 7)
                continue;
            var annotated = fields[1] == "tag";
            DateTimeOffset? at = annotated && long.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix)
                ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;
            tags.Add(new GitTag(fields[0], annotated ? fields[5] : fields[4], annotated, at, annotated ? fields[3] : null, fields[6].TrimEnd('\n')));
        }
        return tags;
    }

    /// <summary>
    /// Fails with an input error when git has no identity to write a tag as: the tagger is the audit trail's "who", and a
    /// fresh CI runner has none (the build names the actor who started the run). Checked before anything is uploaded or tagged.
    /// </summary>
    public async Task RequireTaggerAsync(CancellationToken cancellationToken)
    {
        var ident = await RunAsync(["var", "GIT_COMMITTER_IDENT"], cancellationToken).ConfigureAwait(false);
        if (ident.ExitCode != 0)
            throw new InputException("git has no identity to tag as (the tagger is who the registry history names): set git config user.name and "
                + "user.email, or GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL as the build does in GitHub Actions with the actor who started the run");
    }

    /// <summary>Creates an annotated tag dated <paramref name="at"/>; false when a tag of that name exists.</summary>
    public async Task<bool> TryCreateTagAsync(string name, string commit, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string> { ["GIT_COMMITTER_DATE"] = $"@{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)} +0000" };
        var result = await RunGitAsync(Root, ["tag", "-a", "-F", "-", name, commit], message, environment, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
            return true;
        if (await ResolveCommitAsync("refs/tags/" + name, cancellationToken).ConfigureAwait(false) is not null)
            return false;
        throw new InfrastructureException($"git tag {name} failed: {result.Error.Trim()}");
    }

    public Task DeleteTagAsync(string name, CancellationToken cancellationToken) =>
        RunCheckedAsync(["tag", "-d", name], cancellationToken);

    /// <summary><c>origin</c> when there is one, else the first remote, else null.</summary>
    public async Task<string?> DefaultRemoteAsync(CancellationToken cancellationToken)
    {
        var remotes = (await RunCheckedAsync(["remote"], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return remotes.Contains("origin") ? "origin" : remotes.FirstOrDefault();
    }

    public async Task<bool> RemoteHasTagAsync(string remote, string name, CancellationToken cancellationToken)
    {
        var output = await RunCheckedAsync(["ls-remote", "--tags", remote, "refs/tags/" + name], cancellationToken).ConfigureAwait(false);
        return output.Trim().Length > 0;
    }

    /// <summary>The object a remote tag names (a commit for a lightweight tag, a tag object when annotated), or null.</summary>
    public async Task<string?> RemoteTagObjectAsync(string remote, string name, CancellationToken cancellationToken)
    {
        var output = await RunCheckedAsync(["ls-remote", "--tags", remote, "refs/tags/" + name], cancellationToken).ConfigureAwait(false);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => l.EndsWith("refs/tags/" + name, StringComparison.Ordinal));
        return line?.Split('\t')[0];
    }

    /// <summary>Whether <paramref name="sha"/> names a commit object here (not a tag object).</summary>
    public async Task<bool> IsCommitAsync(string sha, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["cat-file", "-t", sha], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 && result.Output.Trim() == "commit";
    }

    public Task FetchTagsAsync(string remote, CancellationToken cancellationToken) =>
        RunCheckedAsync(["fetch", "--quiet", remote, "refs/tags/*:refs/tags/*"], cancellationToken);

    /// <summary>
    /// Pushes one tag; false when the remote holds a different tag of that name (another release or change got
    /// there first). With <paramref name="replacing"/>, the remote's tag of that name is expected to be exactly that
    /// object and is replaced. A remote that refuses for its own reason (a pre-receive hook, permissions) or cannot be
    /// reached is an <see cref="InfrastructureException"/> carrying what the remote said.
    /// </summary>
    public async Task<bool> TryPushTagAsync(string remote, string name, CancellationToken cancellationToken, string? replacing = null)
    {
        IReadOnlyList<string> arguments = replacing is null
            ? ["push", "--porcelain", remote, $"refs/tags/{name}:refs/tags/{name}"]
            : ["push", "--porcelain", $"--force-with-lease=refs/tags/{name}:{replacing}", remote, $"refs/tags/{name}:refs/tags/{name}"];
        var result = await RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
            return true;
        if (result.Output.Contains("[rejected]", StringComparison.Ordinal) || result.Error.Contains("already exists", StringComparison.Ordinal))
            return false;
        const string remoteRejected = "[remote rejected] ";
        var refused = result.Output.Split('\n').FirstOrDefault(l => l.Contains(remoteRejected, StringComparison.Ordinal));
        if (refused is not null)
        {
            var reason = refused[(refused.IndexOf(remoteRejected, StringComparison.Ordinal) + remoteRejected.Length)..].Trim().Trim('(', ')');
            if (reason.Contains("lock", StringComparison.Ordinal))
                return false; // a racing push held the ref: the other one got there first
            var said = string.Join(" ", result.Error.Split('\n')
                .Where(l => l.StartsWith("remote:", StringComparison.Ordinal))
                .Select(l => l["remote:".Length..].Trim()).Where(l => l.Length > 0));
            throw new InfrastructureException(
                $"{remote} rejected {name} ({reason}{(said.Length > 0 ? $": {said}" : "")}); nothing was pushed and the local tag was withdrawn: fix what {remote} says, then run the command again");
        }
        throw new InfrastructureException($"git push {remote} {name} failed ({result.ExitCode}): {OneLine(result.Error)}; check that {remote} is reachable and writable, then run the command again");
    }

    /// <summary>Fetches one tag from <paramref name="remote"/>, replacing a local tag of that name.</summary>
    public Task FetchTagAsync(string remote, string name, CancellationToken cancellationToken) =>
        RunCheckedAsync(["fetch", "--quiet", "--no-tags", remote, $"+refs/tags/{name}:refs/tags/{name}"], cancellationToken);

    /// <summary>The object a local tag names (the tag object when annotated), or null when there is no such tag.</summary>
    public async Task<string?> TagObjectAsync(string name, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["rev-parse", "--verify", "--quiet", "refs/tags/" + name], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }

    /// <summary>Creates a lightweight tag (puts back a release request that a failed release had replaced).</summary>
    public Task CreateLightweightTagAsync(string name, string commit, CancellationToken cancellationToken) =>
        RunCheckedAsync(["tag", name, commit], cancellationToken);

    /// <summary>The bytes of <paramref name="path"/> at <paramref name="commit"/>, or null when that commit has no such file.</summary>
    public Task<byte[]?> ShowFileAsync(string commit, string path, CancellationToken cancellationToken) =>
        RunBinaryAsync(["cat-file", "blob", $"{commit}:{path}"], cancellationToken);

    /// <summary>Writes the folder <paramref name="path"/> as it is at <paramref name="commit"/> under <paramref name="destination"/>; false when the commit has no such folder.</summary>
    public async Task<bool> ExtractFolderAsync(string commit, string path, string destination, CancellationToken cancellationToken)
    {
        var tar = await RunBinaryAsync(["archive", "--format=tar", commit, "--", path], cancellationToken).ConfigureAwait(false);
        if (tar is null)
            return false;
        Directory.CreateDirectory(destination);
        using var stream = new MemoryStream(tar);
        await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(stream, destination, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<byte[]?> RunBinaryAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = NewStart(Root, arguments);
        start.StandardOutputEncoding = null;
        using var process = Process.Start(start) ?? throw new InfrastructureException("git could not be started: install git and put it on PATH");
        process.StandardInput.Close();
        using var bytes = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await error.ConfigureAwait(false);
        return process.ExitCode == 0 ? bytes.ToArray() : null;
    }

    private static string OneLine(string text) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunGitAsync(Root, arguments, null, null, cancellationToken);

    private async Task<string> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new InfrastructureException($"git {string.Join(' ', arguments)} failed ({result.ExitCode}): {OneLine(result.Error)}; check the repository and its remote, then run the command again");
        return result.Output;
    }

    private static async Task<GitResult> RunGitAsync(
        string directory, IReadOnlyList<string> arguments, string? input, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = NewStart(directory, arguments);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InfrastructureException("git could not be started: install git and put it on PATH");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await using (process.StandardInput.ConfigureAwait(false))
        {
            if (input is not null)
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new GitResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static ProcessStartInfo NewStart(string directory, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";
        return start;
    }

    private sealed record GitResult(int ExitCode, string Output, string Error);
}

/// <summary>A tag as <c>git for-each-ref</c> reports it; lightweight tags have no tagger, date or message.</summary>
public sealed record GitTag(string Name, string Commit, bool Annotated, DateTimeOffset? TaggedAt, string? Tagger, string Message);
