// PeftOps build. Targets are thin: each declares what it needs and calls `dotnet` or one
// `peftops` command; no training or evaluation logic lives here, and the build never loads libtorch.

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var repoRoot = MakeAbsolute(Directory("..")).FullPath;
var solution = $"{repoRoot}/PeftOps.sln";

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Loggers = { "console;verbosity=normal" },
    });
});

RunTarget(target);
