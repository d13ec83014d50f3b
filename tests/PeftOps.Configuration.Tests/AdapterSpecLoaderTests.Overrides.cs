
namespace PeftOps.Configuration.Tests;

public sealed partial class AdapterSpecLoaderTests
{
    [Fact]
    public void Overrides_replace_values_and_add_missing_sections()
    {
        using var folder = DesignExample.CreateFolder();

        var spec = folder.Parse(DesignExample.Yaml,
            "training.epochs=2", "method.r=4", "method.target_modules=[query,key]", "training.early_stopping.patience=5",
            "gate.target[0].min=0.8", "description=tuned", "task.labels=[a, b]");

        Assert.Equal((2, 4, 5, 0.8), (spec.Training.Epochs, spec.Method.R, spec.Training.EarlyStopping!.Patience, spec.Gate.Target[0].Min));
        Assert.Equal(["query", "key"], spec.Method.TargetModules);
        Assert.Equal(["a", "b"], spec.Task.Labels);
        Assert.Equal("tuned", spec.Description);
        Assert.Equal(16, spec.Method.Alpha);
    }

    [Fact]
    public void Overrides_create_sections_the_file_lacks()
    {
        using var folder = new AdapterFolder();

        var spec = folder.Parse(Minimal, "training.max_steps=10", "method.rank_pattern={query: 16}");

        Assert.Equal(10, spec.Training.MaxSteps);
        Assert.Equal(16, spec.Method.RankPattern["query"]);
    }

    [Fact]
    public void A_bad_override_is_named_by_its_key_and_value()
    {
        using var folder = new AdapterFolder();

        var message = folder.Errors(Minimal + "\nmethod: {r: 0}",
            "training.epochs=two", "methd.r=4", "epochs", "Training.Epochs=2", "method.r.x=1", "gate.target[0].min=1", "training.seed=[1", "method.r=4");

        Assert.Equal(
            string.Join('\n',
                "--set training.epochs: training.epochs must be an integer (was two)",
                $"--set methd.r: unknown key 'methd' (expected one of: {RootKeys})",
                "--set epochs: expected key=value, like training.epochs=2 (was epochs)",
                "--set Training.Epochs: Training.Epochs is not a key path: expected dotted snake_case keys like method.r or gate.target[0].min (was Training.Epochs=2)",
                "--set method.r.x: method.r is not a mapping, so it has no key 'x' (was method.r.x)",
                "--set gate.target[0].min: gate.target is not in the spec, so it has no item 0",
                "--set training.seed: training.seed must be a YAML value, like 4, text, [a, b] or {k: v} (was [1)"),
            message);
    }

    [Fact]
    public void Overrides_are_validated_like_the_file()
    {
        using var folder = new AdapterFolder();

        Assert.Equal("--set method.dropout: method.dropout must be >= 0 and < 1 (was 1.5)", folder.Errors(Minimal, "method.dropout=1.5"));
        Assert.Equal(
            $"--set data.train: data.train must be an existing file, relative to the adapter folder (was none.jsonl; {folder.Resolve("none.jsonl")} does not exist)",
            folder.Errors(Minimal, "data.train=none.jsonl"));
    }
}
