// The registry targets of build.cake: a release and the stage changes, each one peftops registry command.
// Loaded before build.cake's own lines run: requirement messages are made when checked, once the parameters are read.

Requires("Release",
    Need(() => releaseTag == "" || tagParts is not null, () => $"--tag=NAME@vX.Y.Z such as support-intents@v1.3.0 (was '{releaseTag}')"),
    AdaptersChosen, OneAdapter,
    Need(() => version != "", () => "--adapter-version=X.Y.Z (or --tag=NAME@vX.Y.Z)"),
    Need(() => forceReason == "" || acceptInconclusive == "", () => "only one of --force-reason and --accept-inconclusive"),
    Need(() => defaultBranch == "" || StartProcess("git", new ProcessSettings { Arguments = $"merge-base --is-ancestor HEAD origin/{defaultBranch}", WorkingDirectory = repoRoot }) == 0,
        () => $"a commit of origin/{defaultBranch} (HEAD is not on it; versions are released only from the default branch)"));
Task("Release")
    .Description("Fetches the candidate reviewed for this commit's inputs, gates it against production, releases it if the release policy allows, and publishes the GitHub release.")
    .IsDependentOn("RegressionGate")
    .Does(() =>
{
    var name = adapters.Single();
    // facts only: how the release was started, who approved, what they accept and why; peftops' release policy decides
    var release = new List<string> { "registry", "release", name, "--version", version, "--from", PathOf(name, "run"), "--trigger", trigger == "" ? "local" : trigger };
    if (approvedBy != "")
        release.AddRange(new[] { "--approved-by", approvedBy });
    if (retrain)
        release.Add("--retrained");
    if (forceReason != "")
        release.AddRange(new[] { "--force", "--reason", forceReason });
    if (acceptInconclusive != "")
        release.AddRange(new[] { "--accept-inconclusive", "--reason", acceptInconclusive });
    Expect(0, PeftopsWith(Tagger(), WithRegistry(release.ToArray())), $"registry release {name}");
    Expect(0, Peftops("report", name, "--gate-dir", PathOf(name, "gate"), "--release", version), $"GitHub release {name}@v{version}");
});

// The registry tags' tagger, the "who" of `peftops registry history`: in GitHub Actions the actor who started the run,
// with the address GitHub gives that account (a runner has no git identity of its own); elsewhere your own git identity.
IDictionary<string, string> Tagger()
{
    var actor = EnvironmentVariable("GITHUB_ACTOR") ?? "";
    if (actor == "" || (EnvironmentVariable("GIT_COMMITTER_NAME") ?? "") != "")
        return new Dictionary<string, string>();
    var id = EnvironmentVariable("GITHUB_ACTOR_ID") ?? "";
    return new Dictionary<string, string>
    {
        ["GIT_COMMITTER_NAME"] = actor,
        ["GIT_COMMITTER_EMAIL"] = id == "" ? $"{actor}@users.noreply.github.com" : $"{id}+{actor}@users.noreply.github.com",
    };
}

// One stage or lifecycle change; Promote, Rollback, Unassign, Deregister and Deprecate are this target with --action fixed.
var stageChanges = new Dictionary<string, (bool Version, bool Stage)>
{
    ["promote"] = (true, true), ["rollback"] = (false, true), ["unassign"] = (false, true), ["deregister"] = (true, false), ["deprecate"] = (false, false),
};
Requires("StageChange", AdaptersChosen, OneAdapter,
    Need(() => stageChanges.ContainsKey(action), () => $"--action=promote|rollback|unassign|deregister|deprecate (was '{action}')"),
    Need(() => !stageChanges.GetValueOrDefault(action).Version || version != "", () => $"--adapter-version=X.Y.Z (to {action})"),
    Need(() => !stageChanges.GetValueOrDefault(action).Stage || stage != "", () => $"--stage=STAGE (one of the stages in .gto, to {action})"));
Task("StageChange")
    .Description("One stage or lifecycle change, --action=promote|rollback|unassign|deregister|deprecate (what release.yml's dispatch runs).")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    var name = adapters.Single();
    var withReason = reason == "" ? Array.Empty<string>() : new[] { "--reason", reason };
    var args = action switch
    {
        "promote" => new[] { "registry", "promote", name, "--version", version, "--stage", stage },
        "rollback" => new[] { "registry", "rollback", name, "--stage", stage },
        "unassign" => new[] { "registry", "unassign", name, "--stage", stage }.Concat(withReason).ToArray(),
        "deregister" => new[] { "registry", "deregister", name, "--version", version }.Concat(withReason).ToArray(),
        _ => new[] { "registry", "deprecate", name }.Concat(withReason).ToArray(),
    };
    Expect(0, PeftopsWith(Tagger(), WithRegistry(args)), $"registry {action} {name}");
});

Task("Promote").Description("StageChange --action=promote: peftops registry promote NAME --version V --stage S").IsDependentOn("StageChange");
Task("Rollback").Description("StageChange --action=rollback: peftops registry rollback NAME --stage S").IsDependentOn("StageChange");
Task("Unassign").Description("StageChange --action=unassign: peftops registry unassign NAME --stage S [--reason R]").IsDependentOn("StageChange");
Task("Deregister").Description("StageChange --action=deregister: peftops registry deregister NAME --version V [--reason R]").IsDependentOn("StageChange");
Task("Deprecate").Description("StageChange --action=deprecate: peftops registry deprecate NAME [--reason R]").IsDependentOn("StageChange");

Requires("ResolveAdapter", Need(() => refArgument != "", () => "--ref=NAME@vX.Y.Z or --ref=NAME"));
Task("ResolveAdapter")
    .Description("Prints the adapter a tag NAME@vX.Y.Z (or a plain name) names, and sets the step output 'adapter'.")
    .Does(() =>
{
    var name = SplitTag(refArgument)?.Adapter ?? refArgument;
    Information(name);
    StepOutput("adapter", name);
});

Requires("NotifyServer", Need(() => serveUrl != "", () => "--serve-url=URL or PEFTOPS_SERVE_URL (the peftops serve to notify)"));
Task("NotifyServer")
    .Description("peftops serve refresh --url URL: a running server follows the stage tags now (release.yml's stage job).")
    .IsDependentOn("BuildCli")
    .Does(() => Expect(0, Peftops("serve", "refresh", "--url", serveUrl), "serve refresh"));

