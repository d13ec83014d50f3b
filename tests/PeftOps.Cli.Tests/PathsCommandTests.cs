using System.Text.Json;

namespace PeftOps.Cli.Tests;

/// <summary><c>peftops paths ADAPTER</c>: the run-folder layout the build reads instead of spelling it.</summary>
public sealed class PathsCommandTests
{
    [Fact]
    public async Task Prints_every_path_of_an_adapters_run_folder_as_json()
    {
        var result = await PeftOpsRunner.InProcess("paths", "support-intents");

        Assert.Equal(0, result.ExitCode);
        var paths = JsonSerializer.Deserialize<Dictionary<string, string>>(result.Stdout)!;
        Assert.Equal("artifacts/support-intents", paths["run"]);
        Assert.Equal("artifacts/support-intents/adapter", paths["adapter"]);
        Assert.Equal("artifacts/support-intents/eval/eval.json", paths["eval_json"]);
        Assert.Equal("artifacts/support-intents/baseline/eval.json", paths["baseline_eval_json"]);
        Assert.Equal("artifacts/support-intents/gate/gate.json", paths["gate_json"]);
        Assert.Equal("artifacts/support-intents/gate/report.md", paths["report"]);
        Assert.Equal("artifacts/data-checks/support-intents/data.json", paths["data_json"]);
        Assert.Equal(
            ["run", "adapter", "eval", "eval_json", "baseline", "baseline_eval_json", "gate", "gate_json", "report", "compare", "data_checks", "data_json", "data_baseline"],
            paths.Keys);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    public async Task A_name_that_is_not_a_folder_name_is_bad_input(string name)
    {
        var result = await PeftOpsRunner.InProcess("paths", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: ADAPTER: expected an adapter's folder name under adapters/ (was '{name}')", result.Stderr.Trim());
        Assert.Empty(result.Stdout);
    }
}
