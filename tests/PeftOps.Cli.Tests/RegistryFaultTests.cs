namespace PeftOps.Cli.Tests;

/// <summary>
/// Every step of release, promote and rollback, killed with SIGKILL (<c>PEFTOPS_FAULT</c>) in the real tool run as its
/// own process, is finished by running the same command again, with the clone, origin and the store agreeing; git or
/// store failures are one line and exit 5, and a remote's refusal is reported in its own words.
/// </summary>
public sealed class RegistryFaultTests(TrainedRepository trained) : IClassFixture<TrainedRepository>
{
    private const int Killed = 128 + 9; // SIGKILL

    private static readonly string[] Release =
        ["registry", "release", "tiny", "--version", "1.0.0", "--from", "artifacts/tiny", "--retrained", "--force", "--reason", "fault drill", "--approved-by", "tester"];

    [Theory]
    [InlineData("after-files", false)]
    [InlineData("after-manifest", false)]
    [InlineData("after-tag", false)]
    [InlineData("after-push", false)]
    [InlineData("after-files", true)]
    [InlineData("after-manifest", true)]
    [InlineData("after-tag", true)]
    [InlineData("after-push", true)]
    public async Task A_release_killed_at_a_step_is_finished_by_running_it_again(string step, bool requested)
    {
        using var sandbox = new FaultSandbox(trained);
        if (requested)
        {
            // release.yml's path: a release manager pushes a plain tag named like the version
            sandbox.Git("tag", "tiny@v1.0.0");
            sandbox.Git("push", "--quiet", "origin", "tiny@v1.0.0");
        }

        var killed = await sandbox.Peftops($"release:{step}", Release);
        var rerun = await sandbox.Peftops(null, Release);
        var verified = await sandbox.Peftops(null, "registry", "verify", "tiny", "--version", "1.0.0");

        Assert.Equal(Killed, killed.ExitCode);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.StartsWith($"released tiny@v1.0.0 to {new Uri(sandbox.Store).AbsoluteUri} (retrained, gate ", rerun.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("tag pushed to origin\n", rerun.Stdout, StringComparison.Ordinal);
        var tag = Assert.Single(sandbox.RemoteTags());
        Assert.EndsWith(" tag", tag, StringComparison.Ordinal);
        Assert.Equal(sandbox.RemoteTags(), sandbox.LocalTags());
        Assert.Equal(0, verified.ExitCode);
        Assert.EndsWith("tiny@v1.0.0: 5 files verified; lineage: 6 ok\n", verified.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("after-verify")]
    [InlineData("after-tag")]
    [InlineData("after-push")]
    public async Task A_promotion_killed_at_a_step_is_finished_by_running_it_again(string step)
    {
        using var sandbox = new FaultSandbox(trained);
        Assert.Equal(0, (await sandbox.Peftops(null, Release)).ExitCode);
        string[] promote = ["registry", "promote", "tiny", "--version", "1.0.0", "--stage", "production"];

        var killed = await sandbox.Peftops($"promote:{step}", promote);
        var rerun = await sandbox.Peftops(null, promote);

        Assert.Equal(Killed, killed.ExitCode);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Equal("tiny#production#1: production none -> v1.0.0\n", rerun.Stdout);
        Assert.Equal(["tiny#production#1", "tiny@v1.0.0"], sandbox.RemoteTags().Select(t => t.Split(' ')[0]));
        Assert.Equal(sandbox.RemoteTags(), sandbox.LocalTags());
        Assert.False(File.Exists(Path.Combine(sandbox.Repository, ".git", "peftops-pending", "tiny.json")));
    }

    [Theory]
    [InlineData("after-verify")]
    [InlineData("after-tag")]
    [InlineData("after-push")]
    public async Task A_rollback_killed_at_a_step_is_finished_by_running_it_again_and_rolls_back_once(string step)
    {
        using var sandbox = new FaultSandbox(trained);
        Assert.Equal(0, (await sandbox.Peftops(null, Release)).ExitCode);
        Assert.Equal(0, (await sandbox.Peftops(null, [.. Release[..4], "1.1.0", .. Release[5..]])).ExitCode);
        Assert.Equal(0, (await sandbox.Peftops(null, "registry", "promote", "tiny", "--version", "1.0.0", "--stage", "production")).ExitCode);
        Assert.Equal(0, (await sandbox.Peftops(null, "registry", "promote", "tiny", "--version", "1.1.0", "--stage", "production")).ExitCode);
        string[] rollback = ["registry", "rollback", "tiny", "--stage", "production"];

        var killed = await sandbox.Peftops($"rollback:{step}", rollback);
        var rerun = await sandbox.Peftops(null, rollback);

        Assert.Equal(Killed, killed.ExitCode);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Equal("tiny#production#3: production v1.1.0 -> v1.0.0 (rollback)\n", rerun.Stdout);
        Assert.Equal(["tiny#production#1", "tiny#production#2", "tiny#production#3", "tiny@v1.0.0", "tiny@v1.1.0"],
            sandbox.RemoteTags().Select(t => t.Split(' ')[0]));
        Assert.Equal(sandbox.RemoteTags(), sandbox.LocalTags());
    }

    [Fact]
    public async Task A_version_whose_weights_were_lost_from_the_store_is_repaired_by_releasing_the_same_folder_again()
    {
        using var sandbox = new FaultSandbox(trained);
        Assert.Equal(0, (await sandbox.Peftops(null, Release)).ExitCode);
        var weights = Path.Combine(sandbox.Store, "tiny", "v1.0.0", "adapter_model.safetensors");
        File.Delete(weights);

        var broken = await sandbox.Peftops(null, "registry", "verify", "tiny", "--version", "1.0.0");
        var next = await sandbox.Peftops(null, "registry", "next-version", "tiny", "--from", "artifacts/tiny");
        var repaired = await sandbox.Peftops(null, Release);
        var verified = await sandbox.Peftops(null, "registry", "verify", "tiny", "--version", "1.0.0");

        var store = new Uri(sandbox.Store).AbsoluteUri;
        Assert.Equal(1, broken.ExitCode);
        Assert.Equal($"peftops: verification failed: adapter_model.safetensors: missing from {store}/tiny/v1.0.0/\n", broken.Stderr);
        Assert.Equal(0, next.ExitCode);
        Assert.Equal("v1.0.1\n", next.Stdout);
        Assert.Equal($"peftops: warning: {store}/tiny/v1.0.0/adapter_model.safetensors is missing, so v1.0.0 was compared by the lineage in its tag tiny@v1.0.0; "
            + "put it back with 'peftops registry release tiny --version v1.0.0 --from RUN_DIR' from the folder it was released from\n", next.Stderr);
        Assert.Equal(0, repaired.ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(sandbox.Repository, "artifacts", "tiny", "adapter", "adapter_model.safetensors")), File.ReadAllBytes(weights));
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal(sandbox.RemoteTags(), sandbox.LocalTags());
    }

    [Fact]
    public async Task An_origin_that_is_gone_is_one_line_and_exit_5()
    {
        using var sandbox = new FaultSandbox(trained);
        Directory.Move(sandbox.Remote, sandbox.Combine("moved.git"));

        var result = await sandbox.Peftops(null, Release);

        Assert.Equal(5, result.ExitCode);
        Assert.Equal($"peftops: git ls-remote --tags origin refs/tags/tiny@v1.0.0 failed (128): fatal: '{sandbox.Remote}' does not appear to be a git repository "
            + "fatal: Could not read from remote repository. Please make sure you have the correct access rights and the repository exists.; "
            + "check the repository and its remote, then run the command again\n", result.Stderr);
        Assert.Empty(sandbox.LocalTags());
    }

    [Fact]
    public async Task A_push_that_fails_is_one_line_and_exit_5_and_the_rerun_finishes_it()
    {
        using var sandbox = new FaultSandbox(trained);
        var nowhere = sandbox.Combine("nowhere.git");
        sandbox.Git("remote", "set-url", "--push", "origin", nowhere);

        var failed = await sandbox.Peftops(null, Release);
        var tagsAfterFailure = sandbox.LocalTags();
        sandbox.Git("remote", "set-url", "--push", "origin", sandbox.Remote);
        var rerun = await sandbox.Peftops(null, Release);

        Assert.Equal(5, failed.ExitCode);
        Assert.Equal($"peftops: git push origin tiny@v1.0.0 failed (128): fatal: '{nowhere}' does not appear to be a git repository "
            + "fatal: Could not read from remote repository. Please make sure you have the correct access rights and the repository exists.; "
            + "check that origin is reachable and writable, then run the command again\n", failed.Stderr);
        Assert.Empty(tagsAfterFailure);
        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(sandbox.RemoteTags(), sandbox.LocalTags());
    }

    [Fact]
    public async Task Without_a_git_identity_release_and_promotion_are_refused_before_anything_is_written_and_the_workflows_identity_is_the_tagger()
    {
        using var sandbox = new FaultSandbox(trained);
        // as on a fresh runner: no identity in the clone, none global, none system-wide
        sandbox.Git("config", "--unset", "user.name");
        sandbox.Git("config", "--unset", "user.email");
        sandbox.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        sandbox.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        string[] promote = ["registry", "promote", "tiny", "--version", "1.0.0", "--stage", "production"];

        var refused = await sandbox.Peftops(null, Release);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("peftops: git has no identity to tag as (the tagger is who the registry history names): set git config user.name and user.email, "
            + "or GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL as the build does in GitHub Actions with the actor who started the run\n", refused.Stderr);
        Assert.False(Directory.Exists(sandbox.Store) && Directory.EnumerateFileSystemEntries(sandbox.Store).Any(), "nothing uploaded");
        Assert.Empty(sandbox.LocalTags());

        // the build's identity in GitHub Actions: the actor
        sandbox.Environment["GIT_COMMITTER_NAME"] = "release-manager";
        sandbox.Environment["GIT_COMMITTER_EMAIL"] = "4242001+release-manager@users.noreply.github.com";
        Assert.Equal(0, (await sandbox.Peftops(null, Release)).ExitCode);
        sandbox.Environment.Remove("GIT_COMMITTER_NAME");
        sandbox.Environment.Remove("GIT_COMMITTER_EMAIL");
        var promotion = await sandbox.Peftops(null, promote);
        Assert.Equal(2, promotion.ExitCode);
        Assert.StartsWith("peftops: git has no identity to tag as", promotion.Stderr, StringComparison.Ordinal);
        Assert.Equal(["tag release-manager <4242001+release-manager@users.noreply.github.com>"],
            sandbox.Git("for-each-ref", "--format=%(objecttype) %(taggername) %(taggeremail)", "refs/tags").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_push_the_remotes_hook_rejects_is_reported_in_its_words_and_exit_5()
    {
        using var sandbox = new FaultSandbox(trained);
        var hook = Path.Combine(sandbox.Remote, "hooks", "pre-receive");
        File.WriteAllText(hook, "#!/bin/sh\necho 'tags are pushed by the release workflow only'\nexit 1\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await sandbox.Peftops(null, Release);

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("peftops: origin rejected tiny@v1.0.0 (pre-receive hook declined: tags are pushed by the release workflow only); "
            + "nothing was pushed and the local tag was withdrawn: fix what origin says, then run the command again\n", result.Stderr);
        Assert.Empty(sandbox.LocalTags());
        Assert.Empty(sandbox.RemoteTags());
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_is_one_line_and_exit_5()
    {
        using var sandbox = new FaultSandbox(trained);
        // the store's folder cannot be created: its parent is a file (chmod cannot stop root, which CI containers often are)
        File.WriteAllText(sandbox.Combine("store"), "not a folder\n");

        var result = await sandbox.Peftops(null, Release);

        Assert.Equal(5, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"peftops: {new Uri(sandbox.Store).AbsoluteUri}: cannot write tiny/v1.0.0/adapter_config.json (", line, StringComparison.Ordinal);
        Assert.EndsWith("); the folder must be writable", line, StringComparison.Ordinal);
        Assert.Empty(sandbox.LocalTags());
    }
}
