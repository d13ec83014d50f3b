
namespace PeftOps.Configuration.Tests;

public sealed class SpecTextTests
{
    [Fact]
    public void Flatten_writes_resolved_values_under_yaml_key_paths()
    {
        using var folder = DesignExample.CreateFolder();

        var text = SpecText.Flatten(folder.Parse(DesignExample.Yaml, "method.rank_pattern={query: 16}"));

        Assert.Equal("8", text["method.r"]);
        Assert.Equal("0.0005", text["training.learning_rate"]);
        Assert.Equal("[query, value]", text["method.target_modules"]);
        Assert.Equal("16", text["method.rank_pattern[query]"]);
        Assert.Equal("sequence-classification", text["task.type"]);
        Assert.Equal("embedding-similarity", text["evaluation.non_target[general-similarity].kind"]);
        Assert.Equal("0.9", text["gate.target[intents.accuracy].min"]);
        Assert.Equal("macro_f1", text["training.early_stopping.metric"]);
        Assert.False(text.ContainsKey("training.max_steps"));
        Assert.Equal(text.Keys.Order(StringComparer.Ordinal), text.Keys);
    }

    [Fact]
    public void Flatten_writes_regex_and_all_linear_target_modules_as_written()
    {
        var spec = new AdapterSpec { Name = "x", Data = new DataSpec { Train = "t" } };

        Assert.Equal("all-linear", SpecText.Flatten(spec with { Method = new MethodSpec { AllLinear = true, TargetModules = [] } })["method.target_modules"]);
        Assert.Equal(@".*\.query", SpecText.Flatten(spec with { Method = new MethodSpec { TargetModulesRegex = @".*\.query", TargetModules = [] } })["method.target_modules"]);
        Assert.Equal("[\"a b\", c]", SpecText.Flatten(spec with { Method = new MethodSpec { TargetModules = ["a b", "c"] } })["method.target_modules"]);
    }
}
