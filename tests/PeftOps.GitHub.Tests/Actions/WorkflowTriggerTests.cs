using PeftOps.TestSupport;
using YamlDotNet.RepresentationModel;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>The workflows' triggers and job conditions, evaluated as GitHub evaluates them, with stand-in contexts.</summary>
public sealed class WorkflowTriggerTests
{
    private static YamlMappingNode Workflow(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, ".github", "workflows", file))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static ActionsEvent TagPush(string tag) => new("push", "0123456789abcdef0123456789abcdef01234567", $"refs/tags/{tag}", new Dictionary<string, object?>());

    [Theory]
    [InlineData("support-intents@v1.0.0", true)]
    [InlineData("support-intents@v1.1.0-rc.1", true)]
    [InlineData("support-intents@v1.2.3!#8", false)]
    [InlineData("support-intents#production#3", false)]
    [InlineData("support-intents@deprecated#4", false)]
    [InlineData("v1.0.0", false)]
    public void A_pushed_tag_starts_a_release_only_when_it_is_a_release_tag(string tag, bool releases) =>
        Assert.Equal(releases, ActionsRunner.Triggers(Workflow("release.yml"), TagPush(tag)));

    [Theory]
    [InlineData("o/r", true)]
    [InlineData("someone/r", false)]
    public void A_pull_request_from_a_fork_never_reaches_the_gpu_job(string headRepository, bool runs)
    {
        var job = (YamlMappingNode)ActionsRunner.Child(ActionsRunner.Child(Workflow("adapter-pr.yml"), "jobs"), "regression-gate")!;
        var contexts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["needs"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["changed"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["outputs"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["adapters"] = "[\"support-intents\"]" } },
            },
            ["github"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["repository"] = "o/r",
                ["event"] = ActionsExpression.FromJson(System.Text.Json.JsonDocument.Parse("{\"pull_request\": {\"head\": {\"repo\": {\"full_name\": \"" + headRepository + "\"}}}}").RootElement),
            },
        };

        Assert.Equal(runs, ActionsExpression.Condition(ActionsRunner.Scalar(ActionsRunner.Child(job, "if")), contexts));
    }

    [Fact]
    public void Nothing_changed_runs_no_gpu_job()
    {
        var job = (YamlMappingNode)ActionsRunner.Child(ActionsRunner.Child(Workflow("adapter-pr.yml"), "jobs"), "regression-gate")!;
        var contexts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["needs"] = new Dictionary<string, object?> { ["changed"] = new Dictionary<string, object?> { ["outputs"] = new Dictionary<string, object?> { ["adapters"] = "[]" } } },
            ["github"] = new Dictionary<string, object?> { ["repository"] = "o/r", ["event"] = new Dictionary<string, object?>() },
        };

        Assert.False(ActionsExpression.Condition(ActionsRunner.Scalar(ActionsRunner.Child(job, "if")), contexts));
    }

    [Fact]
    public void A_tag_push_and_a_dispatch_for_one_adapter_share_one_concurrency_group()
    {
        var jobs = (YamlMappingNode)ActionsRunner.Child(Workflow("release.yml"), "jobs")!;
        var groups = new[] { "release", "stage" }
            .Select(name => ActionsRunner.Scalar(ActionsRunner.Child(ActionsRunner.Child(jobs.Children[new YamlScalarNode(name)], "concurrency"), "group"))!)
            .ToList();
        var resolved = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["needs"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["resolve"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["outputs"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["adapter"] = "support-intents" } },
            },
        };

        Assert.All(groups, g => Assert.Equal("registry-support-intents", ActionsExpression.Interpolate(g, resolved)));
    }

    [Theory]
    [InlineData(new[] { "compare-methods" }, true)]
    [InlineData(new[] { "documentation", "Compare-Methods" }, true)]
    [InlineData(new[] { "documentation" }, false)]
    [InlineData(new string[0], false)]
    public void The_label_compare_methods_runs_the_comparison_after_the_gate_whatever_it_said(string[] labels, bool compares)
    {
        var job = (YamlMappingNode)ActionsRunner.Child(ActionsRunner.Child(Workflow("adapter-pr.yml"), "jobs"), "regression-gate")!;
        var step = ((YamlSequenceNode)ActionsRunner.Child(job, "steps")!).Children.OfType<YamlMappingNode>()
            .Single(s => ActionsRunner.Scalar(ActionsRunner.Child(s, "run"))?.Contains("--target=Compare", StringComparison.Ordinal) == true);
        var labelJson = string.Join(", ", labels.Select(l => $"{{\"name\": \"{l}\"}}"));
        var contexts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["github"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["event"] = ActionsExpression.FromJson(System.Text.Json.JsonDocument.Parse($"{{\"pull_request\": {{\"labels\": [{labelJson}]}}}}").RootElement),
            },
        };

        Assert.Equal("./build.sh --target=Compare --adapter=\"$ADAPTER\" --device=\"$DEVICE\"", ActionsRunner.Scalar(ActionsRunner.Child(step, "run")));
        Assert.Equal(compares, ActionsExpression.Condition(ActionsRunner.Scalar(ActionsRunner.Child(step, "if")), contexts));
        Assert.Contains("labeled", ((YamlSequenceNode)ActionsRunner.Child(ActionsRunner.Child(ActionsRunner.Child(Workflow("adapter-pr.yml"), "on")!, "pull_request")!, "types")!).Children.Select(t => ActionsRunner.Scalar(t)));
    }
}
