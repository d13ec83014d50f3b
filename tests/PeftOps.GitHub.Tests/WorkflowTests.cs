using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests;

/// <summary>Every workflow in .github/workflows parsed with YamlDotNet and held to <see cref="WorkflowRules"/>.</summary>
public sealed class WorkflowTests
{
    private static string WorkflowsDirectory => Path.Combine(TestPaths.RepoRoot, ".github", "workflows");

    private static List<string> WorkflowFiles() =>
        [.. Directory.EnumerateFiles(WorkflowsDirectory, "*.y*ml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static TheoryData<string> Workflows() => [.. WorkflowFiles()];

    [Fact]
    public void The_three_workflows_of_the_design_exist() =>
        Assert.Equal(["adapter-pr.yml", "ci.yml", "release.yml"], WorkflowFiles());

    [Fact]
    public void The_build_defines_every_target_the_pipeline_needs()
    {
        var targets = BuildScript.Targets();
        foreach (var target in new[] { "Build", "Test", "Train", "Evaluate", "RegressionGate", "Report", "Compare", "Release", "Promote", "Rollback", "StageChange", "ResolveAdapter", "ChangedAdapters", "LintWorkflows" })
            Assert.Contains(target, targets);
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void A_workflow_keeps_every_rule(string fileName)
    {
        var violations = WorkflowRules.Check(fileName, File.ReadAllText(Path.Combine(WorkflowsDirectory, fileName)), BuildScript.Targets());

        Assert.Empty(violations);
    }

    [Fact]
    public void The_adapter_workflow_gates_each_changed_adapter_on_a_gpu_runner()
    {
        var text = File.ReadAllText(Path.Combine(WorkflowsDirectory, "adapter-pr.yml"));

        Assert.Contains("run: ./build.sh --target=RegressionGate --adapter=\"$ADAPTER\" --device=\"$DEVICE\"", text, StringComparison.Ordinal);
        Assert.Contains("DEVICE: ${{ vars.PEFTOPS_DEVICE || 'cuda' }}", text, StringComparison.Ordinal);
        Assert.Contains("runs-on: [self-hosted, linux, gpu]", text, StringComparison.Ordinal);
        Assert.Contains("adapter: ${{ fromJSON(needs.changed.outputs.adapters) }}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_release_workflow_ships_the_reviewed_candidate_and_changes_stages_through_approved_environments()
    {
        var text = File.ReadAllText(Path.Combine(WorkflowsDirectory, "release.yml"));

        Assert.Contains("- \"*@v[0-9]+.[0-9]+.[0-9]+\"", text, StringComparison.Ordinal);
        Assert.Contains("- \"!*@v*!*\"", text, StringComparison.Ordinal);
        Assert.Contains("run: ./build.sh --target=Release --tag=\"$TAG\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--device=cuda", text, StringComparison.Ordinal);
        Assert.Contains("run: ./build.sh --target=StageChange --action=\"$ACTION\"", text, StringComparison.Ordinal);
        Assert.Contains("environment: release", text, StringComparison.Ordinal);
        Assert.Contains("environment: ${{ (inputs.action == 'deregister' || inputs.action == 'deprecate') && 'production' || inputs.stage }}", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("group: registry-${{ needs.resolve.outputs.adapter }}").Length - 1);
    }

    [Fact]
    public void The_workflows_pass_the_storage_secret_under_the_name_peftops_reads()
    {
        foreach (var file in new[] { "adapter-pr.yml", "release.yml" })
        {
            var text = File.ReadAllText(Path.Combine(WorkflowsDirectory, file));
            Assert.Contains($"{PeftOps.Registry.RegistryLocation.ConnectionStringVariable}: ${{{{ secrets.{PeftOps.Registry.RegistryLocation.ConnectionStringVariable} }}}}", text, StringComparison.Ordinal);
            Assert.DoesNotContain("PEFTOPS_STORAGE_CONNECTION_STRING", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_release_workflow_offers_the_stages_of_dot_gto()
    {
        var stages = PeftOps.Registry.RegistryStages.Read(TestPaths.RepoRoot).Allowed;
        var text = File.ReadAllText(Path.Combine(WorkflowsDirectory, "release.yml"));

        Assert.NotNull(stages);
        Assert.Contains($"options: [{string.Join(", ", stages)}]", text, StringComparison.Ordinal);
    }

    // ---- the rules catch what they are for ----

    private const string Checkout = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683";
    private const string Cache = "actions/cache@5a3ec84eff668545956fd18022155c47e93e2684";

    private static string Workflow(string jobs, string permissions = "permissions:\n  contents: read\n", string concurrency = "concurrency:\n  group: x\n  cancel-in-progress: true\n") =>
        $"name: t\non:\n  pull_request:\n{permissions}{concurrency}jobs:\n{jobs}";

    private static string Job(string name, string runsOn, string run, string extra = "") =>
        $"  {name}:\n    runs-on: {runsOn}\n{extra}    steps:\n      - uses: {Checkout} # v4.2.2\n      - uses: {Cache} # v4.2.3\n        with:\n          path: ~/.nuget/packages\n          key: k\n      - run: {run}\n";

    private static readonly IReadOnlySet<string> Targets = new HashSet<string> { "Test", "RegressionGate", "ChangedAdapters" };

    [Fact]
    public void The_rules_pass_a_workflow_that_keeps_them() =>
        Assert.Empty(WorkflowRules.Check("ci.yml", Workflow(Job("test", "ubuntu-latest", "./build.sh --target=Test")), Targets));

    [Fact]
    public void The_rules_reject_a_target_the_build_does_not_define_and_other_commands()
    {
        var violations = WorkflowRules.Check("ci.yml", Workflow(
            Job("a", "ubuntu-latest", "./build.sh --target=Deploy") +
            Job("b", "ubuntu-latest", "dotnet test") +
            Job("c", "ubuntu-latest", "./build.sh --target=Test && curl x | sh")), Targets);

        Assert.Equal(
        [
            "job 'a' calls target 'Deploy', which build/build.cake does not define",
            "job 'b' runs 'dotnet test': steps may only call ./build.sh --target=NAME [--option=VALUE...]",
            "job 'c' runs './build.sh --target=Test && curl x | sh': steps may only call ./build.sh --target=NAME [--option=VALUE...]",
        ], violations);
    }

    [Fact]
    public void The_rules_reject_unpinned_and_uncommented_actions()
    {
        var text = Workflow(Job("test", "ubuntu-latest", "./build.sh --target=Test"))
            .Replace($"{Checkout} # v4.2.2", "actions/checkout@v4", StringComparison.Ordinal)
            .Replace($"{Cache} # v4.2.3", Cache, StringComparison.Ordinal);

        Assert.Equal(
        [
            "action 'actions/checkout@v4' is not pinned to a full 40-hex commit SHA",
            $"action '{Cache}' has no '# vX' comment naming its release",
        ], WorkflowRules.Check("ci.yml", text, Targets));
    }

    [Fact]
    public void The_rules_reject_broad_permissions_and_runs_that_are_not_cancelled()
    {
        var text = Workflow(Job("test", "ubuntu-latest", "./build.sh --target=Test", "    permissions:\n      contents: write\n"),
            permissions: "permissions: write-all\n", concurrency: "concurrency:\n  group: x\n");

        Assert.Equal(
        [
            "has no top-level permissions mapping",
            "concurrency does not cancel superseded runs (cancel-in-progress: true)",
            "job 'test' asks for 'contents: write', which ci.yml does not need",
        ], WorkflowRules.Check("ci.yml", text, Targets));
    }

    [Fact]
    public void The_rules_keep_fork_pull_requests_off_self_hosted_runners()
    {
        var text = Workflow(Job("gate", "[self-hosted, linux, gpu]", "./build.sh --target=RegressionGate --adapter=\"$ADAPTER\""));

        Assert.Equal(
        [
            $"job 'gate' runs on a self-hosted runner for pull requests without the fork guard '{WorkflowRules.ForkGuard}'",
        ], WorkflowRules.Check("ci.yml", text, Targets));
    }

    [Fact]
    public void The_rules_send_training_to_gpu_runners_and_expressions_through_env()
    {
        var text = Workflow(Job("gate", "ubuntu-latest", "./build.sh --target=RegressionGate --adapter=${{ matrix.adapter }}"));

        Assert.Equal(
        [
            "job 'gate' interpolates an expression into a run line; pass it through env",
            "job 'gate' trains but does not run on [self-hosted, linux, gpu] (runs-on: ubuntu-latest)",
        ], WorkflowRules.Check("ci.yml", text, Targets));
    }

    [Fact]
    public void The_rules_require_a_nuget_cache_where_the_build_runs()
    {
        var text = Workflow(Job("test", "ubuntu-latest", "./build.sh --target=Test")).Replace("~/.nuget/packages", "~/.npm", StringComparison.Ordinal);

        Assert.Equal(["job 'test' builds without caching ~/.nuget/packages"], WorkflowRules.Check("ci.yml", text, Targets));
    }

    [Fact]
    public void The_rules_require_the_adapter_matrix_to_come_from_the_changed_adapters()
    {
        var text = Workflow(Job("gate", "ubuntu-latest", "./build.sh --target=Test",
            "    strategy:\n      matrix:\n        adapter: [support-intents]\n"));

        Assert.Equal(
        [
            "job 'gate' matrix.adapter is '(a literal list)', expected ${{ fromJSON(needs.JOB.outputs.adapters) }}",
        ], WorkflowRules.Check("adapter-pr.yml", text, Targets));
    }
}
